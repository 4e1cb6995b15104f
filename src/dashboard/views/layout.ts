import { html, raw, type SafeHtml } from '../html.js';

export interface ViewCtx {
  base: string;
  csrf: string;
  name: string;
  flash?: { kind: 'ok' | 'error'; text: string };
  /** With several active plans: the plan the overview and task pages show (its id), and every plan for the switcher. */
  plan?: string;
  plans?: Array<{ id: string; label: string; title: string }>;
}

/** `?plan=p2` for links and form actions of the task pages, when several plans are active. */
export const planQuery = (ctx: ViewCtx): string => (ctx.plan ? `?plan=${encodeURIComponent(ctx.plan)}` : '');

/** The plan switcher of the overview and task pages (several plans only). */
function planSwitcher(ctx: ViewCtx, current: string): SafeHtml | string {
  if (!ctx.plans || ctx.plans.length < 2 || (current !== '' && current !== '/tasks')) return '';
  return html`<nav class="plan-switch view-switch" aria-label="方案">方案：${ctx.plans.map((p) =>
    p.id === ctx.plan
      ? html` <strong title="${p.title}" aria-current="true">${p.label}</strong>`
      : html` <a href="${ctx.base}${current || '/'}?plan=${encodeURIComponent(p.id)}" title="${p.title}">${p.label}</a>`,
  )}</nav>`;
}

export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1d2329;background:#f4f6f8}
a{color:#0b57d0}
header{background:#12365f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem}
header .brand{font-weight:bold;font-size:1.05rem;margin-right:auto}
header nav{display:flex;flex-wrap:wrap;gap:.25rem}
header nav a{color:#fff;text-decoration:none;padding:.35rem .6rem;border-radius:4px}
header nav a[aria-current=page]{background:rgba(255,255,255,.2)}
header form{margin:0}
header .who{font-size:.85rem;opacity:.9}
@media (max-width:560px){header{padding:.4rem .6rem}header nav a{padding:.3rem .4rem}header .brand{flex-basis:100%}}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0 .8rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:.6rem}
.card{background:#fff;border-radius:8px;padding:.7rem .9rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card .n{font-size:1.6rem;font-weight:bold}
.card.bad .n{color:#c62828}
.panel{background:#fff;border-radius:8px;padding:.8rem;box-shadow:0 1px 2px rgba(0,0,0,.08);margin-bottom:1rem}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:760px){.grid2{grid-template-columns:1fr}main{padding:.6rem}}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e7eb;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600;white-space:nowrap}
tbody th{background:#fff}
input.note{width:12em}
td.num,th.num{text-align:right}
tr.overdue td{background:#fdecec}
.badge{display:inline-block;padding:0 .45rem;border-radius:10px;font-size:.85rem;white-space:nowrap}
.s-已完成{background:#e3f4e4;color:#1b5e20}.s-进行中{background:#fff4cc;color:#7a5500}.s-未开始{background:#eceff1;color:#37474f}
.late{color:#c62828;font-weight:bold}
.flash{padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem}
.flash.ok{background:#e3f4e4}.flash.error{background:#fdecec;color:#8e0000}
form.inline{display:inline}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.filters label,.field label{display:block;font-size:.85rem;color:#445}
.field{margin-bottom:.6rem}
input,select,textarea,button{font:inherit}
input,select,textarea{padding:.35rem .45rem;border:1px solid #9aa5b1;border-radius:4px;background:#fff;max-width:100%}
textarea{width:100%}
button,.btn{display:inline-block;padding:.4rem .8rem;border:1px solid #0b57d0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.btn.secondary{background:#fff;color:#0b57d0}
button.danger{background:#fff;color:#c62828;border-color:#c62828}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.muted{color:#5f6b76;font-size:.9rem}
.errors li{color:#8e0000}
.chart{max-width:100%;height:auto}
.ring{float:left;margin-right:1rem}
.pager{display:flex;gap:.5rem;align-items:center;margin:.6rem 0}
.task-text{max-width:36em}
@media (min-width:561px){.dept-badges{max-width:22em}#dept-status form{white-space:nowrap}}
.dept-badges .badge{margin:0 .2rem .2rem 0}
.badge.is-late{outline:2px solid #c62828;outline-offset:-2px}
details summary{cursor:pointer;color:#0b57d0;font-size:.85rem}
ul.dept-rows{margin:.3rem 0;padding-left:1.1rem}
ul.dept-rows li{margin:.15rem 0}
.view-switch{margin:.2rem 0 .6rem}
button,.btn{white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.3rem;z-index:9}
@media (max-width:560px){
  table.stack thead{display:none}
  table.stack tr{display:block;border-bottom:1px solid #d0d7de;padding:.3rem 0}
  table.stack td{display:block;border:0;padding:.15rem .5rem}
  table.stack td[data-h]:empty{display:none}
  table.stack td[data-h]::before{content:attr(data-h) "：";color:#5f6b76}
  table.stack td.num{text-align:left}
}
`;

export const JS = `
// Progressive enhancement only: every form works without it.
document.addEventListener('submit', function (e) {
  var f = e.target;
  var q = f.getAttribute && f.getAttribute('data-confirm');
  if (q && !window.confirm(q)) e.preventDefault();
});
document.addEventListener('change', function (e) {
  var el = e.target;
  if (el && el.form && el.form.hasAttribute('data-autosubmit') && el.tagName === 'SELECT') el.form.submit();
});
`;

const NAV: Array<[string, string]> = [
  ['', '概览'],
  ['/tasks', '任务'],
  ['/groups', '群与提醒'],
  ['/data', '导入导出'],
];

export function page(ctx: ViewCtx, current: string, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · 督办助手</title><link rel="icon" href="/favicon.ico" type="image/svg+xml"><link rel="stylesheet" href="${ctx.base}/static/app.css"><script src="${ctx.base}/static/app.js" defer></script></head>
<body><a class="skip" href="#main">跳到正文</a>
<header><span class="brand">督办助手 · 管理台</span>
<nav aria-label="主导航">${NAV.map(([p, label]) => html`<a href="${ctx.base}${p || '/'}"${raw(current === p ? ' aria-current="page"' : '')}>${label}</a>`)}</nav>
<span class="who">${ctx.name}</span>
<form method="post" action="${ctx.base}/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button class="secondary" type="submit">退出</button></form>
</header>
<main id="main">${ctx.flash ? html`<div class="flash ${ctx.flash.kind}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.text}</div>` : ''}
<h1>${title}</h1>
${planSwitcher(ctx, current)}
${body}
</main></body></html>`.value;
}

export function loginPage(base: string, opts: { admins: string[]; error?: string; loopbackNote: boolean }): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>登录 · 督办助手</title><link rel="stylesheet" href="${base}/static/app.css"></head>
<body><main id="main" style="max-width:420px">
<h1>督办助手 · 管理台登录</h1>
${opts.error ? html`<div class="flash error" role="alert">${opts.error}</div>` : ''}
<form method="post" action="${base}/login" class="panel">
<div class="field"><label for="name">姓名</label>
${
  opts.admins.length
    ? html`<select id="name" name="name" required>${opts.admins.map((a) => html`<option>${a}</option>`)}</select>`
    : html`<input id="name" name="name" required maxlength="32" autocomplete="username">`
}</div>
<div class="field"><label for="password">密码</label><input id="password" name="password" type="password" required autocomplete="current-password"></div>
<button type="submit">登录</button>
${opts.loopbackNote ? html`<p class="muted">未设置 DASHBOARD_PASSWORD：本次启动生成的一次性密码已打印在服务日志中，仅限本机访问。</p>` : ''}
</form></main></body></html>`.value;
}

export function csrfField(ctx: ViewCtx): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

export function statusBadge(s: string): SafeHtml {
  return html`<span class="badge s-${s}">${s}</span>`;
}
