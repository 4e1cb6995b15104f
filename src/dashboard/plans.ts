/**
 * The dashboard's plans: 导入方案 through the plan importer (the same as `npm run plan -- import`: .docx, .xlsx,
 * .csv, .txt read in the upload worker; a preview with every problem at once, the units with their derived
 * short names and aliases; stored only when confirmed) and archiving a plan. Plans are stored in DATA_DIR/plans;
 * the running server picks them up (its plan watcher), told at once through `onPlansChanged`.
 */
import type { Request, Response, NextFunction, RequestHandler, Router } from 'express';
import { applyUnitEdits, prepareImport, storePrepared, type PreparedImport, type UnitEdit } from '../plan/import/prepare.js';
import { listPlans, setPlanStatus, type PlanListing } from '../plan/store.js';
import { StoreError } from '../state/store.js';
import { html, type SafeHtml } from './html.js';
import type { UploadRead } from './read-table.js';
import { csrfField, page, type ViewCtx } from './views/layout.js';

export interface PlanRoutesDeps {
  dataDir: string;
  onPlansChanged?: () => void;
  /** A snapshot of the state before a plan is imported (StateStore.backup). */
  backup?: (reason: string) => Promise<string>;
  log?: { info(obj: object, msg: string): void };
  upload: RequestHandler;
  form: RequestHandler;
  guard: RequestHandler;
  wrap: (fn: (req: Request & { session?: unknown }, res: Response) => Promise<void> | void) => (req: Request, res: Response, next: NextFunction) => void;
  /** The multipart form read in the worker (CSRF checked); undefined when it already answered. */
  readPlanForm: (req: Request, res: Response) => Promise<(Extract<UploadRead, { kind: 'form' }> & { filename: string }) | undefined>;
  /** Keep a preview (plain JSON data) for 确认, which may reach another instance. */
  remember: (req: Request, value: unknown) => Promise<string>;
  recall: (req: Request, id: string) => Promise<unknown>;
  ctxOf: (req: Request) => ViewCtx;
  flash: (req: Request, kind: 'ok' | 'error', text: string) => Promise<void>;
  nameOf: (req: Request) => string;
}

/** New units editable in the preview (three form fields each, within the dashboard form's 200 fields). */
const EDITABLE_UNITS = 60;

/** What the preview and 确认 need of a prepared import: plain JSON (the plan it revises by its title only). */
type PreviewedImport = Omit<PreparedImport, 'replacing'> & { replacing?: { plan: { title: string } } };

/** A previewed plan waiting for 确认, kept in the shared state (确认 may reach another instance). */
interface PendingPlan {
  kind: 'plan';
  prepared: PreviewedImport;
  source: { name: string; base64: string };
}

export function planRoutes(router: Router, d: PlanRoutesDeps): void {
  router.post('/import/plan', d.upload, d.wrap(async (req, res) => {
    const up = await d.readPlanForm(req, res);
    if (!up) return;
    const ctx = d.ctxOf(req);
    if (!up.plan) {
      res.status(422).type('html').send(planPreviewPage(ctx, up.filename, undefined, [up.error ? up.error.message : '无法读取该文件'], undefined));
      return;
    }
    const revise = up.fields.revise && up.fields.revise !== 'new' ? up.fields.revise : undefined;
    const title = up.fields.title?.trim() || undefined;
    const prepared = prepareImport(d.dataDir, up.plan.table, { id: revise, title, howToRevise: () => '请在「导入为」中选择该方案' });
    const pending: PendingPlan = {
      kind: 'plan',
      prepared: { ...prepared, replacing: prepared.replacing && { plan: { title: prepared.replacing.plan.title } } },
      source: { name: up.filename, base64: Buffer.from(up.plan.data).toString('base64') },
    };
    const id = prepared.problems.length ? undefined : await d.remember(req, pending);
    res.status(prepared.problems.length ? 422 : 200).type('html').send(planPreviewPage(ctx, up.filename, prepared, prepared.problems, id));
  }));

  router.post('/import/plan/confirm', d.form, d.guard, d.wrap(async (req, res) => {
    const id = String((req.body as Record<string, string>).id ?? '');
    const p = (await d.recall(req, id)) as PendingPlan | undefined;
    if (!p || p.kind !== 'plan') throw new StoreError('预览已过期，请重新上传。');
    const body = req.body as Record<string, string>;
    const edits: UnitEdit[] = [];
    for (let i = 0; i < EDITABLE_UNITS && body[`unit-${i}-full`] !== undefined; i++) {
      edits.push({ fullName: body[`unit-${i}-full`], name: body[`unit-${i}-name`] ?? '', aliases: String(body[`unit-${i}-aliases`] ?? '').split(/[，,;；\s]+/) });
    }
    const problems = applyUnitEdits(p.prepared, edits);
    if (problems.length) {
      // The corrections are refused as a whole; the preview is offered again with them to fix.
      const again = await d.remember(req, p);
      res.status(422).type('html').send(planPreviewPage(d.ctxOf(req), p.source.name, p.prepared, problems, again, edits));
      return;
    }
    // Progress recorded against the plans as they were stays recoverable.
    await d.backup?.('plan-import');
    const meta = storePrepared(d.dataDir, p.prepared, { name: p.source.name, bytes: Buffer.from(p.source.base64, 'base64') });
    d.log?.info({ name: d.nameOf(req), plan: meta.id, tasks: p.prepared.result.plan?.tasks.length }, 'dashboard plan import stored');
    d.onPlansChanged?.();
    await d.flash(req, 'ok', `方案 ${meta.id}「${meta.title}」已导入（${p.prepared.result.plan?.tasks.length ?? 0} 项任务），机器人已可回答。`);
    res.redirect(303, `${req.baseUrl}/data`);
  }));

  router.post('/plans/archive', d.form, d.guard, d.wrap(async (req, res) => {
    const b = req.body as Record<string, string>;
    const id = String(b.id ?? '');
    const status = b.status === 'active' ? 'active' : 'archived';
    const active = listPlans(d.dataDir).filter((p) => p.status === 'active');
    if (status === 'archived' && active.length <= 1 && active[0]?.id === id) throw new StoreError('这是唯一在用的方案，不能归档（先导入或恢复另一个方案）。');
    const meta = setPlanStatus(d.dataDir, id, status);
    d.log?.info({ name: d.nameOf(req), plan: id, status }, 'dashboard plan status');
    d.onPlansChanged?.();
    await d.flash(req, 'ok', `方案 ${meta.id}「${meta.title}」${status === 'archived' ? '已归档，机器人不再回答它' : '已恢复使用'}。`);
    res.redirect(303, `${req.baseUrl}/data`);
  }));
}

/** The data page's section on plans: every plan with its state, an archive button, and the upload form. */
export function plansSection(ctx: ViewCtx, dataDir: string | undefined): SafeHtml {
  if (!dataDir) return html``;
  const plans = listPlans(dataDir);
  const row = (p: PlanListing) =>
    html`<tr data-plan="${p.id}"><td data-h="编号">${p.id}</td><td data-h="方案">${p.title}</td><td data-h="任务">${p.tasks}</td><td data-h="单位">${p.departments}</td><td data-h="状态">${p.status === 'active' ? '使用中' : p.status === 'archived' ? '已归档' : `已损坏：${p.problem ?? ''}`}</td><td>${
      p.status === 'broken'
        ? ''
        : html`<form class="inline" method="post" action="${ctx.base}/plans/archive" data-confirm="${p.status === 'active' ? `确定归档方案「${p.title}」吗？` : ''}">${csrfField(ctx)}<input type="hidden" name="id" value="${p.id}"><input type="hidden" name="status" value="${p.status === 'active' ? 'archived' : 'active'}"><button class="${p.status === 'active' ? 'danger' : 'secondary'}" type="submit">${p.status === 'active' ? '归档' : '恢复使用'}</button></form>`
    }</td></tr>`;
  return html`<section class="panel" aria-labelledby="h-plans"><h2 id="h-plans">任务分工方案</h2>
<div class="scroll" tabindex="0" role="region" aria-label="方案"><table class="stack" id="plans"><thead><tr><th>编号</th><th>方案</th><th>任务</th><th>单位</th><th>状态</th><th></th></tr></thead><tbody>${plans.map(row)}</tbody></table></div>
<h3>导入方案</h3>
<p class="muted">上传收到的方案文件：Word（.docx，文中的表格）、Excel（.xlsx）、CSV 或制表符分隔的文本。能识别序号、部分、小节、重点任务、牵头单位、配合单位、责任单位、完成时限等列，以及表格中的“一、”“（一）”标题行。上传后先预览（所有问题一次列出，新单位及其简称、别名可在预览中修改），确认后导入，无需重启。</p>
<form method="post" action="${ctx.base}/import/plan" enctype="multipart/form-data" id="import-plan">${csrfField(ctx)}
<div class="field"><label for="import-plan-file">方案文件</label><input id="import-plan-file" name="file" type="file" accept=".docx,.xlsx,.csv,.txt,.tsv" required></div>
<div class="field"><label for="import-plan-title">标题（可不填，默认取文件中的标题）</label><input id="import-plan-title" name="title" maxlength="200"></div>
<div class="field"><label for="import-plan-revise">导入为</label><select id="import-plan-revise" name="revise"><option value="new">新方案</option>${plans
    .filter((p) => p.status !== 'broken')
    .map((p) => html`<option value="${p.id}">修订版：${p.id}「${p.title}」</option>`)}</select></div>
<button type="submit">上传并预览</button></form></section>`;
}

export function planPreviewPage(ctx: ViewCtx, filename: string, prepared: PreviewedImport | undefined, problems: string[], pendingId: string | undefined, edits: UnitEdit[] = []): string {
  const units = (prepared?.result.newUnits ?? []).map((u) => {
    const e = edits.find((x) => x.fullName === u.fullName);
    return e ? { ...u, name: e.name, aliases: e.aliases.filter(Boolean) } : u;
  });
  const editable = !!pendingId;
  const unitRow = (u: (typeof units)[number], i: number) =>
    editable && i < EDITABLE_UNITS
      ? html`<tr><td data-h="全称">${u.fullName}<input type="hidden" name="unit-${i}-full" value="${u.fullName}"></td><td data-h="简称"><input name="unit-${i}-name" value="${u.name}" aria-label="${u.fullName}的简称" maxlength="20"></td><td data-h="别名"><input name="unit-${i}-aliases" value="${u.aliases.join('，')}" aria-label="${u.fullName}的别名" size="40"></td></tr>`
      : html`<tr><td data-h="全称">${u.fullName}</td><td data-h="简称">${u.name}</td><td data-h="别名">${u.aliases.join('、')}</td></tr>`;
  const unitTable = units.length
    ? html`<h2>新单位（${units.length} 个，简称与别名由名称推出${editable ? '，可在此修改' : ''}）</h2><div class="scroll" tabindex="0" role="region" aria-label="新单位"><table class="stack" id="new-units"><thead><tr><th>全称</th><th>简称</th><th>别名（用，分隔）</th></tr></thead><tbody>${units.map(unitRow)}</tbody></table></div>`
    : html``;
  const body = html`<p>文件：${filename}${prepared ? html`　${prepared.replacing ? `修订方案 ${prepared.id}「${prepared.replacing.plan.title}」` : `新方案，编号 ${prepared.id}`}` : ''}</p>
${problems.length ? html`<div class="flash error" role="alert"><p>发现 ${problems.length} 个问题，未导入。请改正后重新上传：</p><ul class="errors" id="import-errors">${problems.slice(0, 500).map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
${
  pendingId
    ? html`<form method="post" action="${ctx.base}/import/plan/confirm" id="confirm-plan-form">${csrfField(ctx)}<input type="hidden" name="id" value="${pendingId}">${unitTable}
${prepared ? html`<h2>预览</h2><pre id="plan-preview">${prepared.preview.join('\n')}</pre>` : ''}<button type="submit" id="confirm-plan">确认导入方案（${prepared?.result.plan?.tasks.length ?? 0} 项任务）</button> <a class="btn secondary" href="${ctx.base}/data">取消</a></form>`
    : html`${unitTable}${prepared ? html`<h2>预览</h2><pre id="plan-preview">${prepared.preview.join('\n')}</pre>` : ''}<p><a class="btn secondary" href="${ctx.base}/data">返回</a></p>`
}`;
  return page(ctx, '/data', '方案导入预览', body);
}
