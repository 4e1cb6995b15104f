/** The groups page's parts for liaisons (联络员) and the issued weekly 督办通报. */
import type { Liaison, ReportRecord } from '../../state/types.js';
import { liaisonLabel } from '../../reminders/report.js';
import { html, type SafeHtml } from '../html.js';
import { localTime } from '../dates.js';
import { csrfField, type ViewCtx } from './layout.js';

/** `names`: the units of every active plan. */
export function liaisonsSection(ctx: ViewCtx, names: string[], liaisons: (dept: string) => Liaison[]): SafeHtml {
  return html`<section class="panel" aria-labelledby="h-l"><h2 id="h-l">部门联络员</h2>
<p class="muted">提醒会 @ 联络员：企业微信群机器人按 userid 或手机号，智能机器人按 userid，Telegram 按用户 ID。群里也可发送 /liaison 部门 @某人。</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-l"><table class="stack" id="liaisons"><thead><tr><th>部门</th><th>联络员</th><th>操作</th></tr></thead><tbody>${names.map((d) => {
    const list = liaisons(d);
    return html`<tr><th scope="row" data-h="部门">${d}</th><td data-h="联络员">${list.length ? list.map(liaisonLabel).join('、') : html`<span class="muted">未设</span>`}</td><td>${
      list.length
        ? html`<form class="inline" method="post" action="${ctx.base}/liaisons">${csrfField(ctx)}<input type="hidden" name="department" value="${d}"><input type="hidden" name="op" value="clear"><button class="secondary" type="submit">清除</button></form>`
        : ''
    }</td></tr>`;
  })}</tbody></table></div>
<form method="post" action="${ctx.base}/liaisons" class="filters" id="liaison-form">${csrfField(ctx)}<input type="hidden" name="op" value="add">
<div><label for="l-dept">部门</label><select id="l-dept" name="department" required>${names.map((d) => html`<option value="${d}">${d}</option>`)}</select></div>
<div><label for="l-kind">方式</label><select id="l-kind" name="kind"><option value="userid">企业微信 userid</option><option value="mobile">企业微信手机号</option><option value="telegram">Telegram 用户 ID</option></select></div>
<div><label for="l-id">账号</label><input id="l-id" name="id" required maxlength="64" pattern="[A-Za-z0-9_.@-]{1,64}"></div>
<div><label for="l-name">姓名</label><input id="l-name" name="name" maxlength="50"></div>
<div><button type="submit">添加</button></div></form></section>`;
}

export function reportsSection(ctx: ViewCtx, reports: ReportRecord[], timeZone: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="h-r"><h2 id="h-r">督办通报（${reports.length}）</h2>
${
  reports.length === 0
    ? html`<p class="muted">尚未印发。每周五下午（遇节假日提前到此前最近的工作日）自动生成并发到督办群；也可运行 npm run remind -- report 生成一份。</p>`
    : html`<ul id="reports">${[...reports].reverse().map(
        (r) => html`<li><a href="${ctx.base}/reports/${encodeURIComponent(r.file)}" download>第${r.number}期（${r.periodStart}—${r.periodEnd}）</a> <span class="muted">${localTime(r.createdAt, timeZone)} 生成，${Math.round(r.bytes / 1024)} KB</span></li>`,
      )}</ul>`
}</section>`;
}
