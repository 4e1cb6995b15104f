import type { LoadedPlan } from '../../plan/load.js';
import type { Task } from '../../plan/types.js';
import { taskTerms } from '../../plan/examples.js';
import { partLabel } from '../../plan/sections.js';
import type { AuditEntry, Binding, HolidayOverride, OutboxRow, ProgressRow } from '../../state/store.js';
import { STATUSES } from '../../state/types.js';
import { html, join, qs, raw, type SafeHtml } from '../html.js';
import { localTime } from '../dates.js';
import type { LedgerImport } from '../ledger.js';
import type { Overview } from '../stats.js';
import { deptChart, ring, weeklyChart } from '../svg.js';
import { csrfField, page, planQuery, statusBadge, type ViewCtx } from './layout.js';

/** The search box's example: a short term of a task in the middle of the loaded plan. */
function searchHint(loaded: LoadedPlan): string {
  const tasks = loaded.plan.tasks;
  const term = tasks.length ? taskTerms(tasks[Math.floor(tasks.length / 2)])[0] : undefined;
  return term ? `如：${term}` : '如：任务里的关键词';
}

const taskTitle = (t: Task, n = 40) => (t.text.length > n ? `${t.text.slice(0, n)}…` : t.text);

export function overviewPage(ctx: ViewCtx, o: Overview, loaded: LoadedPlan): string {
  const tasks = new Map(loaded.plan.tasks.map((t) => [t.id, t]));
  const body = html`
<section class="panel" aria-labelledby="h-all">
<h2 id="h-all">总体完成情况</h2>
${raw(ring(o.percent, '总体完成率'))}
<p>共 <strong>${o.taskCount}</strong> 项任务、<strong>${o.total.tasks}</strong> 条部门分工；已全部完成的任务 <strong>${o.tasksDone}</strong> 项。</p>
<div class="cards" style="clear:both">
<div class="card"><div>已完成</div><div class="n" data-k="done">${o.total.done}</div></div>
<div class="card"><div>进行中</div><div class="n" data-k="doing">${o.total.doing}</div></div>
<div class="card"><div>未开始</div><div class="n" data-k="todo">${o.total.todo}</div></div>
<div class="card bad"><div><a href="${ctx.base}/tasks${qs({ due: 'overdue', plan: ctx.plan })}">已逾期</a></div><div class="n" data-k="overdue" id="overdue-count">${o.total.overdue}</div></div>
</div>
</section>
<div class="grid2">
<section class="panel" aria-labelledby="h-dept"><h2 id="h-dept">各部门进度</h2>${raw(deptChart(o.departments))}</section>
<section class="panel" aria-labelledby="h-week"><h2 id="h-week">每周完成数（近 ${o.weekly.length} 周）</h2>${raw(weeklyChart(o.weekly))}
<p class="muted">按状态改为“已完成”的时间统计，周一为一周的开始。</p></section>
</div>
<section class="panel" aria-labelledby="h-table"><h2 id="h-table">各部门统计</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-table"><table id="dept-table">
<thead><tr><th scope="col">部门</th><th class="num" scope="col">任务</th><th class="num" scope="col">已完成</th><th class="num" scope="col">进行中</th><th class="num" scope="col">未开始</th><th class="num" scope="col">已逾期</th><th class="num" scope="col">完成率</th></tr></thead>
<tbody>${o.departments.map(
    (d) => html`<tr><th scope="row"><a href="${ctx.base}/tasks${qs({ dept: d.name, plan: ctx.plan })}">${d.name}</a></th><td class="num">${d.tasks}</td><td class="num">${d.done}</td><td class="num">${d.doing}</td><td class="num">${d.todo}</td><td class="num${d.overdue ? ' late' : ''}">${d.overdue}</td><td class="num">${d.tasks ? ((100 * d.done) / d.tasks).toFixed(0) : 0}%</td></tr>`,
  )}</tbody></table></div></section>
<section class="panel" aria-labelledby="h-due"><h2 id="h-due">14 天内到期（${o.dueSoon.length} 条）</h2>
${
  o.dueSoon.length === 0
    ? html`<p class="muted">14 天内没有未完成的到期事项。</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="h-due"><table class="stack"><thead><tr><th>截止日期</th><th>任务</th><th>部门</th><th>状态</th></tr></thead><tbody>${o.dueSoon.slice(0, 100).map((r) => {
        const t = tasks.get(r.taskId)!;
        return html`<tr><td data-h="截止">${r.deadline}</td><td data-h="任务"><a href="${ctx.base}/tasks/${r.taskId}${planQuery(ctx)}">第${r.taskId}项</a> ${taskTitle(t, 30)}</td><td data-h="部门">${r.department}</td><td data-h="状态">${statusBadge(r.status)}</td></tr>`;
      })}</tbody></table></div>${o.dueSoon.length > 100 ? html`<p class="muted">仅显示前 100 条，<a href="${ctx.base}/tasks${qs({ due: 'soon', plan: ctx.plan })}">查看全部</a>。</p>` : ''}`
}
</section>
<p class="muted">今天：${o.today}</p>`;
  return page(ctx, '', '概览', body);
}

export interface TaskFilter {
  /** 'rows': one row per task and department; otherwise one row per task (unless a department is chosen). */
  view?: string;
  dept?: string;
  status?: string;
  section?: string;
  due?: string;
  q?: string;
  page?: number;
}

export function tasksPage(
  ctx: ViewCtx,
  loaded: LoadedPlan,
  f: TaskFilter,
  rows: ProgressRow[],
  today: string,
  opts: { pageSize: number; total: number; searchNote?: string; byTask?: TaskGroup[] },
): string {
  const tasks = new Map(loaded.plan.tasks.map((t) => [t.id, t]));
  const pages = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  const cur = Math.min(Math.max(1, f.page ?? 1), pages);
  const filters = { plan: ctx.plan, dept: f.dept, status: f.status, section: f.section, due: f.due, q: f.q };
  const link = (p: number) => `${ctx.base}/tasks${qs({ view: f.view, ...filters, page: p > 1 ? p : undefined })}`;
  const sel = (v: string | undefined, x: string) => (v === x ? raw(' selected') : '');
  const body = html`
<form class="panel filters" method="get" action="${ctx.base}/tasks" role="search" data-autosubmit>${f.view === 'rows' ? html`<input type="hidden" name="view" value="rows">` : ''}${ctx.plan ? html`<input type="hidden" name="plan" value="${ctx.plan}">` : ''}
<div><label for="q">搜索（按意思查找）</label><input id="q" name="q" type="search" value="${f.q ?? ''}" placeholder="${searchHint(loaded)}"></div>
<div><label for="f-dept">部门</label><select id="f-dept" name="dept"><option value="">全部部门</option>${loaded.registry.names.map((n) => html`<option${sel(f.dept, n)}>${n}</option>`)}</select></div>
<div><label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部状态</option>${STATUSES.map((s) => html`<option${sel(f.status, s)}>${s}</option>`)}</select></div>
<div><label for="f-section">部分</label><select id="f-section" name="section"><option value="">全部部分</option>${loaded.plan.sections.map((s) => html`<option value="${s.index}"${sel(f.section, String(s.index))}>${partLabel(s)}</option>`)}</select></div>
<div><label for="f-due">截止</label><select id="f-due" name="due"><option value="">不限</option><option value="overdue"${sel(f.due, 'overdue')}>已逾期</option><option value="soon"${sel(f.due, 'soon')}>14 天内到期</option><option value="set"${sel(f.due, 'set')}>已设截止日期</option><option value="none"${sel(f.due, 'none')}>未设截止日期</option></select></div>
<div><button type="submit">筛选</button> <a class="btn secondary" href="${ctx.base}/tasks${planQuery(ctx)}">清除</a></div>
</form>
${opts.searchNote ? html`<p class="muted">${opts.searchNote}</p>` : ''}
${
  f.dept
    ? ''
    : html`<p class="view-switch">${opts.byTask ? html`<strong>按任务</strong> · <a href="${ctx.base}/tasks${qs({ view: 'rows', ...filters })}">按部门分工（每个部门一行）</a>` : html`<a href="${ctx.base}/tasks${qs(filters)}">按任务</a> · <strong>按部门分工（每个部门一行）</strong>`}</p>`
}
${opts.byTask ? taskGroupsTable(ctx, opts.byTask, today, opts.total, cur, pages) : html`<p id="result-count">共 <strong>${opts.total}</strong> 条（任务 × 责任部门）${pages > 1 ? html`，第 ${cur}/${pages} 页` : ''}。</p>
<div class="scroll" tabindex="0" role="region" aria-label="任务列表"><table id="tasks-table" class="stack">
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">责任部门</th><th scope="col">状态</th><th scope="col">截止日期</th><th scope="col">最新进展</th></tr></thead>
<tbody>${rows.map((r) => {
    const t = tasks.get(r.taskId)!;
    const late = !!r.deadline && r.deadline < today && r.status !== '已完成';
    return html`<tr${raw(late ? ' class="overdue"' : '')} data-task="${r.taskId}" data-dept="${r.department}"><td data-h="序号">${r.taskId}</td><td data-h="任务" class="task-text"><a href="${ctx.base}/tasks/${r.taskId}${planQuery(ctx)}">${taskTitle(t, 60)}</a></td><td data-h="部门">${r.department}</td><td data-h="状态">${statusBadge(r.status)}</td><td data-h="截止"${raw(late ? ' class="late"' : '')}>${r.deadline ?? '—'}${late ? '（逾期）' : ''}</td><td data-h="进展">${r.note ?? ''}</td></tr>`;
  })}</tbody></table></div>`}
${pages > 1 ? html`<nav class="pager" aria-label="分页">${cur > 1 ? html`<a href="${link(cur - 1)}">上一页</a>` : ''}<span>${cur}/${pages}</span>${cur < pages ? html`<a href="${link(cur + 1)}">下一页</a>` : ''}</nav>` : ''}
<section class="panel" aria-labelledby="h-bulk"><h2 id="h-bulk">批量设置截止日期</h2>
<form method="post" action="${ctx.base}/deadlines${planQuery(ctx)}" id="bulk-deadline" data-confirm="确定批量设置截止日期吗？">${csrfField(ctx)}
<div class="filters">
<div><label for="b-scope">范围</label><select id="b-scope" name="scope"><option value="section">整个部分</option><option value="department">某部门的全部任务</option><option value="task">单项任务</option></select></div>
<div><label for="b-section">部分</label><select id="b-section" name="section">${loaded.plan.sections.map((s) => html`<option value="${s.index}">${partLabel(s)}</option>`)}</select></div>
<div><label for="b-dept">部门</label><select id="b-dept" name="department">${loaded.registry.names.map((n) => html`<option>${n}</option>`)}</select></div>
<div><label for="b-task">任务序号</label><input id="b-task" name="taskId" inputmode="numeric" size="5"></div>
<div><label for="b-date">截止日期</label><input id="b-date" name="date" type="date"></div>
<div><label><input type="checkbox" name="clear" value="1"> 清除截止日期</label></div>
<div><button type="submit">应用</button></div></div>
<p class="muted">“整个部分”和“单项任务”设置任务的统一截止日期（各部门单独设置的日期保留）；“某部门的全部任务”只设置该部门的日期。</p>
</form></section>`;
  return page(ctx, '/tasks', '任务', body);
}

/** One task with every responsible department's row, and which of them match the filters. */
export interface TaskGroup {
  task: Task;
  rows: ProgressRow[];
}

const STATUS_MARK: Record<string, string> = { 已完成: '✓', 进行中: '◐', 未开始: '○' };

/** One row per task: its departments' statuses as compact badges, the details of each behind 「展开」. */
function taskGroupsTable(ctx: ViewCtx, groups: TaskGroup[], today: string, total: number, cur: number, pages: number): SafeHtml {
  const late = (r: ProgressRow) => !!r.deadline && r.deadline < today && r.status !== '已完成';
  return html`<p id="result-count">共 <strong>${total}</strong> 项任务${pages > 1 ? html`，第 ${cur}/${pages} 页` : ''}。徽标为各责任部门的状态（✓ 已完成，◐ 进行中，○ 未开始，红框为逾期）。</p>
<div class="scroll" tabindex="0" role="region" aria-label="任务列表"><table id="tasks-table" class="stack by-task">
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">各部门状态</th><th scope="col" class="num">完成</th><th scope="col">最近截止</th></tr></thead>
<tbody>${groups.map(({ task, rows }) => {
    const done = rows.filter((r) => r.status === '已完成').length;
    const open = rows.filter((r) => r.status !== '已完成' && r.deadline).map((r) => r.deadline!).sort();
    const anyLate = rows.some(late);
    return html`<tr${raw(anyLate ? ' class="overdue"' : '')} data-task="${task.id}"><td data-h="序号">${task.id}</td>
<td data-h="任务" class="task-text"><a href="${ctx.base}/tasks/${task.id}${planQuery(ctx)}">${taskTitle(task, 60)}</a>
<details><summary>各部门进展</summary><ul class="dept-rows">${rows.map(
      (r) => html`<li data-dept="${r.department}">${r.department} ${statusBadge(r.status)}${r.deadline ? html` <span${raw(late(r) ? ' class="late"' : '')}>截止 ${r.deadline}${late(r) ? '（逾期）' : ''}</span>` : ''}${r.note ? html` <span class="muted">${r.note}</span>` : ''}</li>`,
    )}</ul></details></td>
<td data-h="各部门" class="dept-badges">${rows.map(
      (r) => html`<span class="badge s-${r.status}${raw(late(r) ? ' is-late' : '')}" title="${r.department}：${r.status}${r.deadline ? `，截止 ${r.deadline}` : ''}${late(r) ? '（逾期）' : ''}">${STATUS_MARK[r.status] ?? ''}${r.department}</span>`,
    )}</td>
<td data-h="完成" class="num">${done}/${rows.length}</td>
<td data-h="截止"${raw(anyLate ? ' class="late"' : '')}>${open[0] ?? '—'}${anyLate ? '（有逾期）' : ''}</td></tr>`;
  })}</tbody></table></div>`;
}

function describeAudit(h: AuditEntry): string {
  const v = (x: unknown) => (x === null || x === undefined || x === '' ? '无' : typeof x === 'object' ? JSON.stringify(x) : String(x));
  if (h.action === 'status') {
    const o = h.old as { status?: string; note?: string } | undefined;
    const n = h.new as { status?: string; note?: string } | undefined;
    return `${h.department ?? ''} 状态 ${o?.status ?? '未开始'} → ${n?.status ?? ''}${n?.note ? `，进展：${n.note}` : ''}`;
  }
  if (h.action === 'deadline') return `${h.department ? `${h.department} ` : '统一'}截止日期 ${v(h.old)} → ${v(h.new)}`;
  return `${h.action} ${v(h.new)}`;
}

const CHANNEL_LABELS: Record<string, string> = {
  dashboard: '管理台', web: '网页', cli: '命令行', console: '控制台', telegram: 'Telegram',
  'wecom-app': '企业微信', 'wecom-bot': '企业微信', 'wecom-webhook': '企业微信',
};

/** 「法院（网页）」: who, and through which channel — once, even when the name already says it. */
export function actorLabel(a: AuditEntry['actor'] | undefined): string {
  if (!a) return '';
  const ch = CHANNEL_LABELS[a.channel] ?? a.channel;
  const name = a.name ?? a.userId ?? '';
  return name.endsWith(`（${ch}）`) ? name : `${name}（${ch}）`;
}

export function taskPage(
  ctx: ViewCtx,
  loaded: LoadedPlan,
  task: Task,
  rows: ProgressRow[],
  deadline: { date?: string; byDepartment: Record<string, string> },
  history: AuditEntry[],
  reminders: OutboxRow[],
  today: string,
  timeZone: string,
): string {
  const sec = loaded.plan.sections.find((s) => s.index === task.section);
  const sub = loaded.plan.subsections.find((s) => s.index === task.subsection);
  const body = html`
<section class="panel"><p class="muted">${sec ? `${sec.no}、${sec.title}` : ''} › ${sub ? `(${sub.no}) ${sub.title}` : ''}</p>
<p id="task-text">${task.text}</p>
<p>责任部门：${task.departments.join('、')}</p>
<form method="post" action="${ctx.base}/tasks/${task.id}/deadline${planQuery(ctx)}" class="filters" id="task-deadline">${csrfField(ctx)}<input type="hidden" name="department" value="">
<div><label for="td-date">统一截止日期</label><input id="td-date" name="date" type="date" value="${deadline.date ?? ''}"></div>
<div><button type="submit">保存</button></div>
${deadline.date ? html`<div><button class="secondary" type="submit" name="clear" value="1">清除</button></div>` : ''}
</form></section>
<h2>各部门进度</h2>
<div class="scroll" tabindex="0" role="region" aria-label="各部门进度"><table class="stack" id="dept-status">
<thead><tr><th>部门</th><th>状态</th><th>截止日期</th><th>最新进展</th><th>更新</th><th>代为更新</th></tr></thead>
<tbody>${rows.map((r, i) => {
    const late = !!r.deadline && r.deadline < today && r.status !== '已完成';
    return html`<tr${raw(late ? ' class="overdue"' : '')} data-dept="${r.department}"><th scope="row" data-h="部门">${r.department}</th><td data-h="状态">${statusBadge(r.status)}</td>
<td data-h="截止"${raw(late ? ' class="late"' : '')}>${r.deadline ?? '—'}${deadline.byDepartment[r.department] ? '（本部门）' : ''}</td><td data-h="进展">${r.note ?? ''}</td>
<td data-h="更新" class="muted">${r.updatedAt ? `${localTime(r.updatedAt, timeZone)} ${actorLabel(r.updatedBy)}` : ''}</td>
<td><form method="post" action="${ctx.base}/tasks/${task.id}/status${planQuery(ctx)}" aria-label="代${r.department}更新">${csrfField(ctx)}<input type="hidden" name="department" value="${r.department}">
<label for="st-${i}">状态</label> <select id="st-${i}" name="status">${STATUSES.map((s) => html`<option${raw(s === r.status ? ' selected' : '')}>${s}</option>`)}</select>
<label for="nt-${i}">进展</label> <input id="nt-${i}" class="note" name="note" value="${r.note ?? ''}" maxlength="1000">
<button type="submit" aria-label="保存${r.department}">保存</button></form>
<form method="post" action="${ctx.base}/tasks/${task.id}/deadline${planQuery(ctx)}">${csrfField(ctx)}<input type="hidden" name="department" value="${r.department}">
<label for="dd-${i}">本部门截止</label> <input id="dd-${i}" name="date" type="date" value="${deadline.byDepartment[r.department] ?? ''}"> <button class="secondary" type="submit">设置</button>${deadline.byDepartment[r.department] ? html` <button class="secondary" type="submit" name="clear" value="1">改用统一日期</button>` : ''}</form></td></tr>`;
  })}</tbody></table></div>
<h2>变更记录</h2>
${history.length === 0 ? html`<p class="muted">暂无变更。</p>` : html`<ol id="history" reversed>${[...history].reverse().map((h) => html`<li><span class="muted">${localTime(h.at, timeZone)}</span> ${actorLabel(h.actor)}：${describeAudit(h)}</li>`)}</ol>`}
<h2>相关提醒</h2>
${
  reminders.length === 0
    ? html`<p class="muted">还没有发送过涉及本任务的提醒。</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="相关提醒"><table class="stack"><thead><tr><th>时间</th><th>部门</th><th>类型</th><th>状态</th></tr></thead><tbody>${reminders.map((r) => html`<tr><td data-h="时间">${localTime(r.sentAt ?? r.createdAt, timeZone)}</td><td data-h="部门">${r.department || '督办'}</td><td data-h="类型">${kindLabel(r.kind)}</td><td data-h="状态">${outboxStatusLabel(r.status)}</td></tr>`)}</tbody></table></div>`
}
<p><a href="${ctx.base}/tasks${planQuery(ctx)}">← 返回任务列表</a></p>`;
  return page(ctx, '/tasks', `第${task.id}项任务`, body);
}

export function kindLabel(k: string): string {
  return ({ 'weekly-digest': '每周汇总', 'due-soon': '到期提醒', overdue: '逾期提醒', 'overdue-summary': '逾期汇总', notice: '通知', escalation: '督办升级', 'weekly-report': '督办通报' } as Record<string, string>)[k] ?? k;
}

export function outboxStatusLabel(s: string): string {
  return ({ pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败', dismissed: '已忽略', skipped: '已跳过' } as Record<string, string>)[s] ?? s;
}

export interface ScheduleRow {
  department: string;
  weekly: string;
  daily: string;
  next: string[];
  /** Next workday runs of the daily reminders. */
  nextDaily: string[];
}

export function groupsPage(
  ctx: ViewCtx,
  bindings: Binding[],
  schedules: ScheduleRow[] | undefined,
  holidays: Record<string, HolidayOverride>,
  outbox: { pending: OutboxRow[]; failed: OutboxRow[]; sent: OutboxRow[] },
  timeZone: string,
  /** Further sections after the bindings (liaisons, reports). */
  extra: SafeHtml[] = [],
): string {
  const obTable = (rows: OutboxRow[], actions: boolean, id: string) =>
    rows.length === 0
      ? html`<p class="muted">无。</p>`
      : html`<div class="scroll" tabindex="0" role="region" aria-label="${id}"><table class="stack" id="${id}"><thead><tr><th>时间</th><th>部门</th><th>类型</th><th>发往</th><th>次数</th>${actions ? html`<th>错误</th><th>操作</th>` : ''}</tr></thead><tbody>${rows.map(
          (r) => html`<tr><td data-h="时间">${localTime(r.sentAt ?? r.nextAttemptAt ?? r.createdAt, timeZone)}</td><td data-h="部门">${r.department || '督办'}</td><td data-h="类型">${kindLabel(r.kind)}${r.catchUp ? '（补发）' : ''}</td><td data-h="发往">${r.channel}:${r.chatId}</td><td data-h="次数">${r.attempts}</td>${
            actions
              ? html`<td data-h="错误">${r.lastError ?? ''}</td><td><form class="inline" method="post" action="${ctx.base}/outbox/retry">${csrfField(ctx)}<input type="hidden" name="key" value="${r.key}"><button type="submit">重试</button></form> <form class="inline" method="post" action="${ctx.base}/outbox/dismiss">${csrfField(ctx)}<input type="hidden" name="key" value="${r.key}"><button class="danger" type="submit">忽略</button></form></td>`
              : ''
          }</tr>`,
        )}</tbody></table></div>`;
  const body = html`
<section class="panel" aria-labelledby="h-b"><h2 id="h-b">群绑定（${bindings.length}）</h2>
${
  bindings.length === 0
    ? html`<p class="muted">还没有绑定任何群。在部门群里 @机器人 发送 /bind 部门名 即可绑定。</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="h-b"><table class="stack"><thead><tr><th>群</th><th>通道</th><th>角色</th><th>部门</th><th>状态</th><th>更新</th></tr></thead><tbody>${bindings.map(
        (b) => html`<tr><td data-h="群">${b.title ?? b.chatId}</td><td data-h="通道">${b.channel}</td><td data-h="角色">${b.role === 'coordinator' ? '督办群' : b.role === 'leaders' ? '领导群' : '部门群'}</td><td data-h="部门">${b.department ?? ''}</td><td data-h="状态">${b.active ? '正常' : html`<span class="late">已停用</span> ${b.inactiveReason ?? ''}`}</td><td data-h="更新" class="muted">${localTime(b.updatedAt, timeZone)} ${b.by?.name ?? ''}</td></tr>`,
      )}</tbody></table></div>`
}</section>
${extra}
<section class="panel" aria-labelledby="h-s"><h2 id="h-s">各部门提醒时间</h2>
${
  schedules
    ? html`<div class="scroll" tabindex="0" role="region" aria-labelledby="h-s"><table class="stack" id="schedules"><thead><tr><th>部门</th><th>每周汇总</th><th>到期/逾期提醒（工作日）</th><th>接下来的工作日提醒</th><th>接下来的每周汇总</th></tr></thead><tbody>${schedules.map(
        (s) => html`<tr><th scope="row" data-h="部门">${s.department}</th><td data-h="每周">${s.weekly}</td><td data-h="每日">${s.daily}</td><td data-h="工作日">${s.nextDaily.join('；')}</td><td data-h="每周汇总">${s.next.join('；')}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">提醒服务未启用。</p>`
}</section>
<section class="panel" aria-labelledby="h-h"><h2 id="h-h">节假日调整</h2>
${
  Object.keys(holidays).length === 0
    ? html`<p class="muted">没有手工调整；使用内置的法定节假日和调休安排。</p>`
    : html`<ul>${Object.entries(holidays)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([d, h]) => html`<li>${d}：${h.type === 'work' ? '上班' : '休息'}${h.note ? `（${h.note}）` : ''} <form class="inline" method="post" action="${ctx.base}/holidays">${csrfField(ctx)}<input type="hidden" name="date" value="${d}"><input type="hidden" name="type" value=""><button class="secondary" type="submit">撤销</button></form></li>`)}</ul>`
}
<form method="post" action="${ctx.base}/holidays" class="filters">${csrfField(ctx)}
<div><label for="h-date">日期</label><input id="h-date" name="date" type="date" required></div>
<div><label for="h-type">安排</label><select id="h-type" name="type"><option value="off">休息（不发提醒）</option><option value="work">上班（调休）</option></select></div>
<div><label for="h-note">说明</label><input id="h-note" name="note" maxlength="40"></div>
<div><button type="submit">添加</button></div></form></section>
<section class="panel" aria-labelledby="h-f"><h2 id="h-f">发送失败（${outbox.failed.length}）</h2>${obTable(outbox.failed, true, 'outbox-failed')}</section>
<section class="panel" aria-labelledby="h-p"><h2 id="h-p">待发送（${outbox.pending.length}）</h2>${obTable(outbox.pending, false, 'outbox-pending')}</section>
<section class="panel" aria-labelledby="h-o"><h2 id="h-o">最近已发送（${outbox.sent.length}）</h2>${obTable(outbox.sent, false, 'outbox-sent')}</section>`;
  return page(ctx, '/groups', '群与提醒', body);
}

export function dataPage(ctx: ViewCtx, opts: { rows: number; plans: SafeHtml }): string {
  const upload = (action: string, id: string, label: string) => html`<form method="post" action="${ctx.base}${action}" enctype="multipart/form-data" id="${id}">${csrfField(ctx)}
<div class="field"><label for="${id}-file">${label}</label><input id="${id}-file" name="file" type="file" accept=".xlsx,.csv" required></div>
<button type="submit">上传并预览</button></form>`;
  const body = html`
<section class="panel" aria-labelledby="h-e"><h2 id="h-e">导出督办台账</h2>
<p>每项任务的每个责任部门一行（共 ${opts.rows} 行）：序号、部分、小节、任务内容、责任部门、状态、截止日期、最新进展、更新时间。逾期的行标红。</p>
<p><a class="btn" id="export-xlsx" href="${ctx.base}/export/ledger.xlsx" download>下载 Excel（.xlsx）</a> <a class="btn secondary" id="export-csv" href="${ctx.base}/export/ledger.csv" download>下载 CSV</a></p></section>
<section class="panel" aria-labelledby="h-i"><h2 id="h-i">导入填好的台账</h2>
<p class="muted">按导出的台账格式填写“状态”“截止日期”“最新进展”列后上传。空白单元格表示不修改。上传后先预览，确认后才会写入。</p>
${upload('/import/ledger', 'import-ledger', '台账文件（.xlsx 或 .csv）')}</section>
${opts.plans}`;
  return page(ctx, '/data', '导入导出', body);
}

export function errorList(errors: Array<{ toString(): string }>): SafeHtml {
  return html`<div class="flash error" role="alert"><p>发现 ${errors.length} 处问题，未做任何修改。请改正后重新上传：</p><ul class="errors" id="import-errors">${errors.slice(0, 200).map((e) => html`<li>${e.toString()}</li>`)}</ul></div>`;
}

export function ledgerPreviewPage(ctx: ViewCtx, filename: string, result: LedgerImport, pendingId: string | undefined): string {
  const body = html`<p>文件：${filename}，读取 ${result.rowsRead} 行数据。</p>
${result.errors.length ? errorList(result.errors) : ''}
${
  result.changes.length === 0 && result.errors.length === 0
    ? html`<p>与当前台账相比没有变化。</p>`
    : result.changes.length
      ? html`<h2>将要修改（${result.changes.length} 条）</h2><div class="scroll" tabindex="0" role="region" aria-label="将要修改"><table class="stack" id="preview"><thead><tr><th>行</th><th>任务</th><th>部门</th><th>状态</th><th>截止日期</th><th>最新进展</th></tr></thead><tbody>${result.changes.map(
          (c) => html`<tr><td data-h="行">${c.row}</td><td data-h="任务">${ctx.plans && ctx.plans.length > 1 ? `【${ctx.plans.find((p) => p.id === c.plan)?.label ?? c.plan}】` : ''}第${c.taskId}项</td><td data-h="部门">${c.department}</td><td data-h="状态">${c.status ? `${c.status.old} → ${c.status.new}` : ''}</td><td data-h="截止">${c.deadline ? `${c.deadline.old || '无'} → ${c.deadline.new}` : ''}</td><td data-h="进展">${c.note ? c.note.new : ''}</td></tr>`,
        )}</tbody></table></div>`
      : ''
}
${
  pendingId
    ? html`<form method="post" action="${ctx.base}/import/ledger/confirm">${csrfField(ctx)}<input type="hidden" name="id" value="${pendingId}"><button type="submit" id="confirm-import">确认导入 ${result.changes.length} 条修改</button> <a class="btn secondary" href="${ctx.base}/data">取消</a></form>`
    : html`<p><a class="btn secondary" href="${ctx.base}/data">返回</a></p>`
}`;
  return page(ctx, '/data', '台账导入预览', body);
}
