/**
 * The coordinator's dashboard (管理台), mounted at /admin by the server:
 *   const dash = createDashboard({ config: readDashboardConfig(env), store, qa, reminders, clock, log, dataDir });
 *   app.use('/admin', dash.router);
 */
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { Logger } from '../core/log.js';
import type { ScoredTask } from '../nlu/search.js';
import type { LoadedPlan } from '../plan/load.js';
import type { ReminderService } from '../reminders/service.js';
import { StoreError, rowTasks, type DeadlineChange, type StateStore } from '../state/store.js';
import { sameTask, type TaskKey } from '../plan/task-key.js';
import { DEFAULT_PLAN_ID } from '../plan/types.js';
import { STATUSES, type AuditActor, type ProgressRow, type ProgressStatus } from '../state/store.js';
import { COOKIE, csrfOk, parseCookies, safeEqual, setSessionCookie, type Session } from './auth.js';
import type { DashboardConfig } from './config.js';
import { isLoopbackClient } from '../server/trust-proxy.js';
import { addDays, dateKey, localTime, normalizeDate } from './dates.js';
import { ledgerCsv, ledgerRows, ledgerXlsx, planColumn, validateLedger, type LedgerChange } from './ledger.js';
import { readUpload } from './read-table.js';
import { ImportError, type Table } from './table.js';
import { planRoutes, plansSection, type PlanRoutesDeps } from './plans.js';
import { computeOverview } from './stats.js';
import { CSS, JS, loginPage, type ViewCtx } from './views/layout.js';
import { registerLiaisonRoutes } from './liaisons.js';
import { liaisonsSection, reportsSection } from './views/liaisons.js';
import { dataPage, groupsPage, ledgerPreviewPage, overviewPage, taskPage, tasksPage, type ScheduleRow, type TaskFilter } from './views/pages.js';

export { readDashboardConfig, type DashboardConfig } from './config.js';

export interface DashboardOptions {
  config: DashboardConfig;
  /** The plans shown are the store's active plans (store.plans), one at a time (?plan=). */
  store: StateStore;
  /** The search box ranks a plan's tasks by that plan's own engine (the plan router's searchIn). */
  qa: { searchIn(plan: string, text: string, k?: number): ScoredTask[] };
  reminders?: Pick<ReminderService, 'describeSchedule'> & { calendar?: Pick<ReminderService['calendar'], 'isWorkday'> };
  clock?: () => Date;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** DATA_DIR: the plans are listed, imported (DATA_DIR/plans) and archived there; unset: no plan page. */
  dataDir?: string;
  /** Told after a plan was imported or archived here (the server re-reads its plans at once). */
  onPlansChanged?: () => void;
  /** Rows per page in the task table. */
  pageSize?: number;
  /** Where the weekly reports are stored (downloads on the groups page). */
  reportsDir?: string;
}

export interface Dashboard {
  router: Router;
}

type SessionReq = Request & { session?: Session };
const WEEKDAYS = '一二三四五六日';

export function createDashboard(opts: DashboardOptions): Dashboard {
  const { config, store, qa } = opts;
  /** The plan a page shows: `?plan=<id>` when several plans are active, else the first (default) plan. */
  const planOf = (req: Request): LoadedPlan => store.plans.get(typeof req.query.plan === 'string' ? req.query.plan : '') ?? store.plans.first;
  const keyOf = (req: Request, task: number): TaskKey => ({ plan: planOf(req).plan.id, task });
  /** `?plan=…` to keep on a redirect to a task page. */
  const planBack = (req: Request) => (store.plans.size > 1 ? `?plan=${encodeURIComponent(planOf(req).plan.id)}` : '');
  const clock = opts.clock ?? (() => new Date());
  const tz = config.timeZone;
  const pageSize = opts.pageSize ?? 200;
  // Shared by every instance (PostgreSQL): a browser may reach any of them.
  const sessions = store.dashboardSessions;
  const sessionMs = config.sessionHours * 3600_000;
  const router = express.Router();

  if (config.generated) {
    const line = `管理台未设置 DASHBOARD_PASSWORD：本次启动的一次性密码为 ${config.password} （仅限本机访问 /admin，重启后失效）`;
    if (opts.log) opts.log.warn({ path: '/admin' }, line);
    else console.error(line);
  }

  const actor = (s: Session): AuditActor => ({ channel: 'dashboard', userId: `dashboard:${s.name}`, name: s.name });
  const today = () => dateKey(clock(), tz);
  // The message of the last change is shown once, by the page its redirect leads to (read in the session middleware).
  const shownFlash = new WeakMap<Request, ViewCtx['flash']>();
  const ctxOf = (req: SessionReq): ViewCtx => {
    const s = req.session!;
    const several = store.plans.size > 1;
    return {
      base: req.baseUrl,
      csrf: s.csrf,
      name: s.name,
      flash: shownFlash.get(req),
      ...(several ? { plan: planOf(req).plan.id, plans: store.plans.all().map((l) => ({ id: l.plan.id, label: planColumn(l), title: l.plan.title })) } : {}),
    };
  };
  const flash = (req: SessionReq, kind: 'ok' | 'error', text: string): Promise<void> => sessions.setFlash(req.session!.id, { kind, text });
  const back = (req: Request, fallback: string) => {
    const ref = req.get('referer');
    try {
      if (ref) {
        const u = new URL(ref);
        if (u.pathname.startsWith(req.baseUrl)) return u.pathname + u.search;
      }
    } catch {
      /* ignore */
    }
    return req.baseUrl + fallback;
  };
  const send = (res: Response, body: string, status = 200) => res.status(status).type('html').send(body);
  const wrap = (fn: (req: SessionReq, res: Response) => Promise<void> | void) => (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve(fn(req as SessionReq, res)).catch((err: unknown) => {
      if (err instanceof StoreError || err instanceof ImportError) {
        flash(req as SessionReq, 'error', String((err as Error).message ?? err)).then(() => res.redirect(303, back(req, '/')), next);
      } else next(err);
    });
  };

  router.use((req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    });
    if (config.loopbackOnly && !isLoopbackClient(req)) {
      res.status(403).type('text').send('管理台未设置 DASHBOARD_PASSWORD，仅限本机访问。');
      return;
    }
    next();
  });

  router.get('/static/app.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(CSS);
  });
  router.get('/static/app.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('js').send(JS);
  });

  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  router.get('/login', (req, res) => {
    send(res, loginPage(req.baseUrl, { admins: config.admins, loopbackNote: config.generated }));
  });

  router.post('/login', form, wrap(async (req, res) => {
    const ip = req.ip ?? '?';
    const wait = sessions.loginWait(ip);
    const page = (error: string, status: number) => send(res, loginPage(req.baseUrl, { admins: config.admins, error, loopbackNote: config.generated }), status);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      page(`登录失败次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试。`, 429);
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim().slice(0, 32) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const nameOk = name !== '' && (config.admins.length === 0 || config.admins.includes(name));
    if (!safeEqual(password, config.password) || !nameOk) {
      const w = await sessions.loginFailed(ip);
      opts.log?.warn({ ip, name }, 'dashboard sign-in refused');
      page(!nameOk && name !== '' ? '该姓名不在管理员名单中。' : `姓名或密码不正确。${w > 0 ? `请 ${Math.ceil(w / 1000)} 秒后再试。` : ''}`, 401);
      return;
    }
    await sessions.loginSucceeded(ip);
    const s = await sessions.create(name, sessionMs);
    setSessionCookie(req, res, s, req.baseUrl || '/');
    opts.log?.info({ name }, 'dashboard sign-in');
    res.redirect(303, `${req.baseUrl}/`);
  }));

  // Everything below needs a session; every POST needs its CSRF token.
  router.use((req: SessionReq, res, next) => {
    const s = sessions.get(parseCookies(req.headers.cookie)[COOKIE]);
    if (!s) {
      if (req.method === 'GET') res.redirect(303, `${req.baseUrl}/login`);
      else res.status(401).type('text').send('未登录或登录已过期');
      return;
    }
    req.session = s;
    const shown = req.method === 'GET' ? sessions.flash(s.id) : undefined;
    if (!shown) return next();
    shownFlash.set(req, shown);
    sessions.setFlash(s.id, undefined).then(() => next(), next);
  });

  const guard = (req: SessionReq, res: Response, next: NextFunction) => {
    if (!csrfOk(req, req.session!)) {
      res.status(403).type('text').send('CSRF 校验失败：请刷新页面后重试');
      return;
    }
    next();
  };

  router.post('/logout', form, guard, wrap(async (req, res) => {
    await sessions.destroy(req.session!.id);
    setSessionCookie(req, res, undefined, req.baseUrl || '/');
    res.redirect(303, `${req.baseUrl}/login`);
  }));

  // ---------------------------------------------------------------- overview

  router.get('/', wrap((req, res) => {
    const loaded = planOf(req);
    const o = computeOverview({
      rows: store.rows({ plan: loaded.plan.id }),
      departments: loaded.registry.names,
      history: store.history({ plan: loaded.plan.id, action: 'status', since: new Date(clock().getTime() - 100 * 86400_000).toISOString() }),
      now: clock(),
      timeZone: tz,
    });
    send(res, overviewPage(ctxOf(req), o, loaded));
  }));

  // ---------------------------------------------------------------- tasks

  router.get('/tasks', wrap((req, res) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string).trim() : undefined) || undefined;
    const f: TaskFilter = { view: q('view') === 'rows' ? 'rows' : undefined, dept: q('dept'), status: q('status'), section: q('section'), due: q('due'), q: q('q')?.slice(0, 100), page: Number(q('page') ?? 1) || 1 };
    const loaded = planOf(req);
    let rows = store.rows({ plan: loaded.plan.id, ...(f.dept ? { department: f.dept } : {}) });
    const t = today();
    const soon = addDays(t, 14);
    const tasks = new Map(loaded.plan.tasks.map((x) => [x.id, x]));
    if (f.status) rows = rows.filter((r) => r.status === f.status);
    if (f.section) rows = rows.filter((r) => String(tasks.get(r.taskId)!.section) === f.section);
    if (f.due === 'overdue') rows = rows.filter((r) => !!r.deadline && r.deadline < t && r.status !== '已完成');
    else if (f.due === 'soon') rows = rows.filter((r) => !!r.deadline && r.deadline >= t && r.deadline <= soon && r.status !== '已完成');
    else if (f.due === 'set') rows = rows.filter((r) => !!r.deadline);
    else if (f.due === 'none') rows = rows.filter((r) => !r.deadline);
    let searchNote: string | undefined;
    if (f.q) {
      const rank = new Map<number, number>();
      const idMatch = /^第?(\d+)项?$/.exec(f.q);
      if (idMatch) rank.set(Number(idMatch[1]), -1);
      // Ranked by the engine of the plan shown (meaning: 调解员培训 finds 培训调解员), then any task containing the words.
      qa.searchIn(loaded.plan.id, f.q, 30).forEach((s, i) => {
        if (!rank.has(s.id)) rank.set(s.id, i);
      });
      let extra = 1000;
      for (const task of loaded.plan.tasks) if (!rank.has(task.id) && task.text.includes(f.q)) rank.set(task.id, extra++);
      rows = rows.filter((r) => rank.has(r.taskId)).sort((a, b) => rank.get(a.taskId)! - rank.get(b.taskId)! || 0);
      searchNote = `“${f.q}”的搜索结果按相关程度排列。`;
    }
    if (!f.dept && f.view !== 'rows') {
      // One row per task (in the order the filtered rows give: plan order, or relevance for a search), showing every department.
      const byTask = new Map<number, ProgressRow[]>();
      for (const r of store.rows({ plan: loaded.plan.id })) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);
      const ids = [...new Set(rows.map((r) => r.taskId))];
      const pages = Math.max(1, Math.ceil(ids.length / pageSize));
      const cur = Math.min(Math.max(1, f.page ?? 1), pages);
      const groups = ids.slice((cur - 1) * pageSize, cur * pageSize).map((id) => ({ task: tasks.get(id)!, rows: byTask.get(id) ?? [] }));
      send(res, tasksPage(ctxOf(req), loaded, { ...f, page: cur }, [], t, { pageSize, total: ids.length, searchNote, byTask: groups }));
      return;
    }
    const total = rows.length;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const cur = Math.min(Math.max(1, f.page ?? 1), pages);
    const slice = rows.slice((cur - 1) * pageSize, cur * pageSize);
    send(res, tasksPage(ctxOf(req), loaded, { ...f, page: cur }, slice, t, { pageSize, total, searchNote }));
  }));

  router.get('/tasks/:id', wrap((req, res) => {
    const loaded = planOf(req);
    const id = Number(req.params.id);
    const task = loaded.plan.tasks.find((x) => x.id === id);
    if (!task) {
      res.status(404).type('text').send(`没有第${req.params.id}项任务`);
      return;
    }
    const key = keyOf(req, id);
    const reminders = store.outbox({}).filter((r) => rowTasks(r).some((k) => sameTask(k, key)) && r.status !== 'skipped').slice(-50);
    send(res, taskPage(ctxOf(req), loaded, task, store.rows({ task: key }), store.deadlineEntry(key), store.history({ plan: key.plan, taskId: id, limit: 200 }), reminders, today(), tz));
  }));

  router.post('/tasks/:id/status', form, guard, wrap(async (req, res) => {
    const id = Number(req.params.id);
    const b = req.body as Record<string, string>;
    const status = b.status as ProgressStatus;
    if (!STATUSES.includes(status)) throw new StoreError(`未知状态「${b.status ?? ''}」`);
    await store.setStatus(keyOf(req, id), String(b.department ?? ''), status, typeof b.note === 'string' ? b.note : undefined, actor(req.session!));
    await flash(req, 'ok', `已将第${id}项 ${b.department} 的状态改为「${status}」。`);
    res.redirect(303, `${req.baseUrl}/tasks/${id}${planBack(req)}`);
  }));

  const readDate = (b: Record<string, string>): string | null => {
    if (b.clear === '1') return null;
    const raw = String(b.date ?? '').trim();
    const d = normalizeDate(raw);
    if (!d) throw new StoreError(raw ? `「${raw}」不是有效日期（应为 YYYY-MM-DD）` : '请填写截止日期');
    return d;
  };

  router.post('/tasks/:id/deadline', form, guard, wrap(async (req, res) => {
    const id = Number(req.params.id);
    const b = req.body as Record<string, string>;
    const date = readDate(b);
    const dept = b.department ? String(b.department) : undefined;
    await store.setDeadline(keyOf(req, id), date, dept, actor(req.session!));
    await flash(req, 'ok', `已${date ? `将第${id}项${dept ? ` ${dept} ` : ''}的截止日期设为 ${date}` : `清除第${id}项${dept ? ` ${dept} ` : ''}的截止日期`}。`);
    res.redirect(303, `${req.baseUrl}/tasks/${id}${planBack(req)}`);
  }));

  router.post('/deadlines', form, guard, wrap(async (req, res) => {
    const b = req.body as Record<string, string>;
    const date = readDate(b);
    const loaded = planOf(req);
    const keyOf = (task: number): TaskKey => ({ plan: loaded.plan.id, task });
    let changes: DeadlineChange[];
    let what: string;
    if (b.scope === 'section') {
      const sec = loaded.plan.sections.find((s) => String(s.index) === b.section);
      if (!sec) throw new StoreError('请选择部分');
      changes = loaded.plan.tasks.filter((t) => t.section === sec.index).map((t) => ({ task: keyOf(t.id), date }));
      what = `「${sec.no}、${sec.title}」的 ${changes.length} 项任务`;
    } else if (b.scope === 'department') {
      const dept = String(b.department ?? '');
      if (!loaded.registry.get(dept)) throw new StoreError(`未登记的部门「${dept}」`);
      changes = loaded.plan.tasks.filter((t) => t.departments.includes(dept)).map((t) => ({ task: keyOf(t.id), date, department: dept }));
      what = `${dept} 的 ${changes.length} 项任务`;
    } else if (b.scope === 'task') {
      const id = Number(b.taskId);
      if (!loaded.plan.tasks.some((t) => t.id === id)) throw new StoreError(`没有第${b.taskId ?? ''}项任务`);
      changes = [{ task: keyOf(id), date }];
      what = `第${id}项任务`;
    } else throw new StoreError('请选择范围');
    // A bulk change can be undone from the snapshot taken just before it.
    if (changes.length > 1) await store.backup('bulk-deadlines');
    await store.setDeadlines(changes, actor(req.session!));
    await flash(req, 'ok', `已${date ? `将${what}的截止日期设为 ${date}` : `清除${what}的截止日期`}。`);
    res.redirect(303, back(req, '/tasks'));
  }));

  // ---------------------------------------------------------------- groups and reminders

  router.get('/groups', wrap((req, res) => {
    let schedules: ScheduleRow[] | undefined;
    if (opts.reminders) {
      const cal = opts.reminders.calendar;
      const t = today();
      const nowHm = localTime(clock().toISOString(), tz).slice(11);
      // The next few workdays (holiday overrides included) on which the daily reminders run.
      const workdays = (time: string) => {
        const out: string[] = [];
        for (let i = time > nowHm ? 0 : 1; out.length < 3 && i < 40; i++) {
          const d = addDays(t, i);
          if (!cal || cal.isWorkday(d)) out.push(d);
        }
        return out.map((d) => `${d.slice(5)} ${time}`);
      };
      schedules = store.plans.departmentNames().map((d) => {
        const v = opts.reminders!.describeSchedule(d, 3);
        const s = v.schedule;
        return {
          department: d,
          weekly: s.weeklyDigest.enabled ? `每周${WEEKDAYS[s.weeklyDigest.weekday - 1]} ${v.times.weeklyDigest}` : '关闭',
          daily: [
            s.dueSoon.enabled ? `到期前 ${s.dueSoon.days.join('/')} 天 ${v.times.dueSoon}` : '到期提醒关闭',
            s.overdue.enabled ? `逾期 ${v.times.overdue}` : '逾期提醒关闭',
          ].join('；'),
          next: v.nextDigests.map((x) => localTime(x, tz)),
          nextDaily: s.dueSoon.enabled || s.overdue.enabled ? workdays(s.dueSoon.enabled ? v.times.dueSoon : v.times.overdue) : [],
        };
      });
    }
    const all = store.outbox({});
    send(
      res,
      groupsPage(
        ctxOf(req),
        store.bindings(),
        schedules,
        store.holidayOverrides(),
        {
          failed: all.filter((r) => r.status === 'failed'),
          pending: all.filter((r) => r.status === 'pending' || r.status === 'sending'),
          sent: all.filter((r) => r.status === 'sent').slice(-30).reverse(),
        },
        tz,
        [liaisonsSection(ctxOf(req), store.plans.departmentNames(), (d) => store.liaisons(d)), reportsSection(ctxOf(req), store.reports(), tz)],
      ),
    );
  }));

  registerLiaisonRoutes(router, {
    knows: (dept) => store.plans.all().some((l) => l.registry.get(dept)),
    store,
    reportsDir: opts.reportsDir,
    form,
    guard,
    wrap,
    flash,
    actor: (req) => actor((req as SessionReq).session!),
  });

  router.post('/outbox/:op(retry|dismiss)', form, guard, wrap(async (req, res) => {
    const key = String((req.body as Record<string, string>).key ?? '');
    const by = actor(req.session!);
    const ok = req.params.op === 'retry' ? await store.retryOutbox(key, by) : await store.dismissOutbox(key, by);
    await flash(req, ok ? 'ok' : 'error', ok ? (req.params.op === 'retry' ? '已重新排队发送。' : '已忽略该提醒。') : '该提醒的状态已变化，未做修改。');
    res.redirect(303, `${req.baseUrl}/groups`);
  }));

  router.post('/holidays', form, guard, wrap(async (req, res) => {
    const b = req.body as Record<string, string>;
    const date = normalizeDate(String(b.date ?? ''));
    if (!date) throw new StoreError(`「${b.date ?? ''}」不是有效日期`);
    const type = b.type === 'work' || b.type === 'off' ? b.type : null;
    await store.setHoliday(date, type, b.note?.trim() || undefined, actor(req.session!));
    await flash(req, 'ok', type ? `已将 ${date} 设为${type === 'work' ? '上班' : '休息'}。` : `已撤销 ${date} 的调整。`);
    res.redirect(303, `${req.baseUrl}/groups`);
  }));

  // ---------------------------------------------------------------- Excel in and out

  const currentLedger = () => ledgerRows(store.plans.all(), store.rows(), today(), tz);

  router.get('/data', wrap((req, res) => {
    send(res, dataPage(ctxOf(req), { rows: store.rows().length, plans: plansSection(ctxOf(req), opts.dataDir) }));
  }));

  const disposition = (name: string, ext: string) => {
    const d = today();
    return `attachment; filename="ledger-${d}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${name}-${d}.${ext}`)}`;
  };

  router.get('/export/ledger.xlsx', wrap(async (_req, res) => {
    const buf = await ledgerXlsx(currentLedger());
    res.set('Content-Disposition', disposition('督办台账', 'xlsx')).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
  }));

  router.get('/export/ledger.csv', wrap((_req, res) => {
    res.set('Content-Disposition', disposition('督办台账', 'csv')).type('text/csv; charset=utf-8').send(ledgerCsv(currentLedger()));
  }));

  const upload = express.raw({ type: 'multipart/form-data', limit: config.imports.maxUploadBytes });
  /** The form and its file are read in a worker; nothing of it is used before the CSRF token is checked. */
  const readForm = async (req: SessionReq, res: Response, options: { plan?: boolean } = {}) => {
    const up = await readUpload(Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0), req.get('content-type'), config.imports, opts.log, options);
    if (up.kind === 'malformed') {
      res.status(400).type('text').send('上传格式错误');
      return undefined;
    }
    const token = up.fields._csrf ?? req.get('x-csrf-token') ?? '';
    if (!token || !safeEqual(token, req.session!.csrf)) {
      res.status(403).type('text').send('CSRF 校验失败：请刷新页面后重试');
      return undefined;
    }
    if (up.filename === undefined) {
      await flash(req, 'error', '请选择要上传的文件。');
      res.redirect(303, `${req.baseUrl}/data`);
      return undefined;
    }
    return { filename: up.filename, fields: up.fields, table: up.table, error: up.error, plan: up.plan };
  };
  const remember = (s: Session, value: unknown): Promise<string> => sessions.keepUpload(s.id, value);

  router.post('/import/ledger', upload, wrap(async (req, res) => {
    const up = await readForm(req, res);
    if (!up) return;
    const result = up.table ? validateLedger(up.table, store.plans.all(), store.rows()) : { errors: [up.error!], changes: [], rowsRead: 0 };
    const id = result.errors.length === 0 && result.changes.length > 0 ? await remember(req.session!, { kind: 'ledger', changes: result.changes }) : undefined;
    send(res, ledgerPreviewPage(ctxOf(req), up.filename, result, id), result.errors.length ? 422 : 200);
  }));

  router.post('/import/ledger/confirm', form, guard, wrap(async (req, res) => {
    const s = req.session!;
    const id = String((req.body as Record<string, string>).id ?? '');
    const p = (await sessions.takeUpload(s.id, id)) as { kind: string; changes: LedgerChange[] } | undefined;
    if (!p || p.kind !== 'ledger') throw new StoreError('预览已过期，请重新上传。');
    const by = actor(s);
    await store.backup('ledger-import');
    // A preview stored before ledgers had a 方案 column names no plan: the default plan's.
    const keyOf = (c: LedgerChange): TaskKey => ({ plan: c.plan ?? DEFAULT_PLAN_ID, task: c.taskId });
    const deadlines = p.changes.filter((c) => c.deadline).map((c) => ({ task: keyOf(c), department: c.department, date: c.deadline!.new }));
    if (deadlines.length) await store.setDeadlines(deadlines, by);
    let n = 0;
    for (const c of p.changes) {
      if (!c.status && !c.note) continue;
      const cur = store.status(keyOf(c), c.department);
      await store.setStatus(keyOf(c), c.department, c.status?.new ?? cur?.status ?? '未开始', c.note ? c.note.new : cur?.note, by);
      n++;
    }
    opts.log?.info({ name: s.name, deadlines: deadlines.length, statuses: n }, 'dashboard ledger import');
    await flash(req, 'ok', `已导入：${deadlines.length} 个截止日期，${n} 条状态/进展。`);
    res.redirect(303, `${req.baseUrl}/tasks`);
  }));

  if (opts.dataDir) {
    planRoutes(router, {
      dataDir: opts.dataDir,
      onPlansChanged: opts.onPlansChanged,
      backup: (reason) => store.backup(reason),
      log: opts.log,
      upload,
      form,
      guard,
      wrap: wrap as PlanRoutesDeps['wrap'],
      readPlanForm: async (req, res) => {
        const up = await readForm(req, res, { plan: true });
        return up ? { kind: 'form' as const, fields: up.fields, filename: up.filename, error: up.error, plan: up.plan } : undefined;
      },
      remember: (req, value) => remember((req as SessionReq).session!, value),
      recall: (req, id) => sessions.takeUpload((req as SessionReq).session!.id, id),
      ctxOf: (req) => ctxOf(req as SessionReq),
      flash: (req, kind, text) => flash(req as SessionReq, kind, text),
      nameOf: (req) => (req as SessionReq).session!.name,
    });
  }

  router.use((req, res) => {
    res.status(404).type('text').send('没有这个页面');
  });

  return { router };
}

export type { ProgressRow };
