import type { Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Reply } from '../src/core/types.js';
import { auditActorOf } from '../src/core/actor.js';
import type { ProgressStatus } from '../src/state/types.js';
import { departmentList } from './format.js';
import { askWhichPlan, namedPlan, noSuchTaskIn, planLabel, plansForTasks } from './plan-choice.js';
import {
  STATUS_PATTERN,
  canAdminister,
  exampleTask,
  taskMention,
  coordinatorName,
  leadingDepartment,
  parseNumber,
  parseStatus,
  refuse,
  reply,
  type Ctx,
} from './progress-common.js';

const NUM = '(第\\s*)?(?:任务\\s*)?#?([0-9０-９]{1,4}|[一二三四五六七八九十百零〇两]{1,6})\\s*(?:项|号|条)?(?:任务)?';
/**
 * What may come before the task: a greeting, "reporting", the unit as itself (各位好，…; 报一下：…; 领导好 …; 关于…;
 * 我们45条做完了, 我局第48项已办结) — taken off before the task is read, once for one task or several.
 */
const PREFACE =
  // (each piece said one way only: a pattern that could read 领导领导… two ways took exponential time)
  '(?:(?:各位|大家|领导|老师|同事)们?好?[,，:：!！\\s]*|我?(?:报一下|报告(?:一下)?|汇报(?:一下|下)?|报下进度|更新一下|同步一下|说一下)[:：,，\\s]*|关于|(?:这边|那边)[,，\\s]*)*(?:我们|咱们|我局|本局|我单位|本单位|我们单位)?';
const PREFACE_FIRST = new RegExp(`^${PREFACE}`);
/**
 * "48 已完成", "第48项 进行中 已印发培训方案", "48项已办结：备注", "四十八 完成", "46号任务已经办结",
 * "我们45条做完了", "各位好，第二十三项办结了", "29项 工会法律服务工作站 完成了一半", "第25项进展：已完成" — the
 * task's short name (up to 16 characters, no clause break nor word of asking) may stand between its number and the status.
 */
const REPORT = new RegExp(
  `^${NUM}(?:\\s*[^，,。;；？?！!\\n谁哪啥吗么]{0,16}?)?\\s*[:：,，、]?\\s*(?:(?:状态|进展|进度)\\s*[:：]?\\s*)?(?:目前|现在|已经|总体还?|还)?(${STATUS_PATTERN})(?![吗么没]|时限|时间|情况|率|度|期限|日期|进度)\\s*[:：,，。;；]?\\s*([\\s\\S]*)$`,
);
/** How much is done, right after 完成: 一半, 大半, 大部分, 70%, 百分之六十, 七成 (not the whole task). */
const PARTLY = /^(?:了\s*)?(?:一半|大半|小半|大部分|一部分|部分|百分之|[0-9]{1,2}(?:\.[0-9])?\s*[%％]|[一二三四五六七八九]成)/;
/** A note that is itself a question: …完成时限是什么时候啊, …了吗. */
const ASKS_AFTER = /[吗么呢?？]\s*$|什么时候|多久|哪天/;
/** Questions are not reports: "48项完成了吗", "48 完成情况如何". */
const QUESTION = /[吗么?？]\s*$|了没|没有?\s*$|情况|如何|怎么样|怎样|是否|多少|哪些|什么|谁|哪个|哪家|哪位|啥|何时/;

interface Parsed {
  taskId: number;
  status: ProgressStatus;
  rest: string;
}

/** `args`: the command's arguments or the message, without the plan it names. */
function parse(ctx: Ctx, args: string): Parsed | undefined {
  const cmd = ctx.command;
  if (cmd?.name === 'done' || cmd?.name === 'progress') {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(args);
    const taskId = m ? parseNumber(m[1]) : undefined;
    if (taskId === undefined) return { taskId: NaN, status: '已完成', rest: '' };
    let rest = m![2].trim();
    let status: ProgressStatus = '已完成';
    if (cmd.name === 'progress') {
      const w = /^(\S+)\s*([\s\S]*)$/.exec(rest);
      const s = w ? parseStatus(w[1]) : undefined;
      if (!s) return { taskId, status: '未开始', rest: '\u0000usage' };
      status = s;
      rest = w![2].trim();
    }
    return { taskId, status, rest };
  }
  if (cmd) return undefined;
  const text = args.normalize('NFKC').trim().replace(PREFACE_FIRST, '');
  let m = REPORT.exec(text);
  // (the department said first, 人社 48 已完成: as said after it, 48 已完成 人社)
  const unit = m ? undefined : leadingDepartment(ctx, text);
  if (unit) m = REPORT.exec(unit.rest.replace(PREFACE_FIRST, ''));
  if (!m) return undefined;
  const [, ordinal, num, word, tail] = m;
  // (完成了: the particle is no note)
  let rest = tail.trim().replace(/^(?:了|啦|喽|咯)(?=$|[\s,，。;；:：!！])[\s,，。;；:：!！]*/, '');
  if (QUESTION.test(ctx.text) && (!rest || ASKS_AFTER.test(rest))) return undefined;
  if (/^(?:了吗|没有|了没|情况)/.test(rest)) return undefined;
  // "三项已完成，两项在办" counts tasks: a one-character Chinese numeral needs 第.
  if (!ordinal && !/\d/.test(num) && [...num].length < 2) return undefined;
  const taskId = parseNumber(num);
  let status = parseStatus(word);
  if (taskId === undefined || !status) return undefined;
  // 完成一半了, 完成了70%, 完成大部分: partly done, in progress — said in the note as written
  if (status === '已完成' && PARTLY.test(rest)) {
    status = '进行中';
    rest = `${word}${rest}`.replace(/[了啦。！!]+$/, '');
  }
  // (the unit said first goes where recordProgress reads a unit named: before the note)
  if (unit) rest = `${text.slice(0, text.length - unit.rest.length).trim()} ${rest}`.trim();
  return { taskId, status, rest };
}

/** Usage, with a task of the reader's own department as the example. */
const usage = (id: string) => `用法：/done ${id} 备注，或 /progress ${id} 进行中 备注（状态：未开始、进行中、已完成）。也可以直接发「${id} 已完成」。`;

/**
 * Several tasks reported at once, by number (47、48 已完成, 47和48都完成了, 第3、5项进行中, 十七、十八两项已完成,
 * 任务五跟三十一都在办): the numbers.
 */
const ONE = '(?:第|任务)?\\s*(?:[0-9]{1,4}|[一二三四五六七八九十百零〇]{1,6})\\s*(?:项|号|条)?';
const MANY = new RegExp(`^(${ONE}(?:\\s*(?:、|,|和|及|与|跟)\\s*${ONE}|\\s+${ONE})+)\\s*(?:[两三四五几]项|这[两三几]项)?\\s*(?:都|均|全部|全都|也)?\\s*`);
/** Most tasks one message reports. */
const MAX_AT_ONCE = 20;

/** Progress reports from a department's group (or the coordinator naming the department). */
export const reportProgressHandler: Handler<Services> = (ctx) => {
  const isCommand = ctx.command?.name === 'done' || ctx.command?.name === 'progress';
  const plan = namedPlan(ctx, isCommand ? ctx.command!.args : ctx.text);
  // (the greeting or "reporting" before the numbers: 领导好，第17项和第18项在推进中)
  const text = plan.text.normalize('NFKC').trim().replace(PREFACE_FIRST, '');
  const many = isCommand ? null : MANY.exec(text);
  if (many) {
    const ids = [...many[1].matchAll(/[0-9]{1,4}|[一二三四五六七八九十百零〇]{1,6}/g)].map((m) => m[0]);
    const said = text.slice(many[0].length);
    // (第…项 around each: a one-character Chinese numeral alone is no task, 五 of 任务五 is)
    const each = ids.length <= MAX_AT_ONCE ? ids.map((id) => parse(ctx, `第${id}项 ${said}`)) : [];
    if (each.length && each.every((p) => p !== undefined)) return recordEach(ctx, plan.plan, each as Parsed[]);
  }
  const p = parse(ctx, plan.text);
  // most messages are no report: they pass at once, without a promise (the chain runs for every message)
  return p ? recordProgress(ctx, plan.plan, p) : undefined;
};

/** One report after another, each answered as alone (a task refused does not undo the others recorded). */
async function recordEach(ctx: Ctx, inPlan: LoadedPlan | undefined, reports: Parsed[]): Promise<Reply> {
  const replies: Reply[] = [];
  for (const p of reports) replies.push(await recordProgress(ctx, inPlan, p));
  const recorded = replies.filter((r) => r.intent === 'progress_report');
  return {
    text: replies.map((r) => r.text).join('\n\n'),
    intent: recorded.length ? 'progress_report' : replies[0].intent,
    tasks: replies.flatMap((r) => r.tasks),
    departments: [...new Set(replies.flatMap((r) => r.departments))],
  };
}

async function recordProgress(ctx: Ctx, inPlan: LoadedPlan | undefined, p: Parsed): Promise<Reply> {
  if (Number.isNaN(p.taskId) || p.rest === '\u0000usage') return refuse(usage(exampleTask(ctx)), 'progress_usage');
  const admin = canAdminister(ctx.actor);
  const named = leadingDepartment(ctx, p.rest);
  // Which plan's task: the department decides between plans that both have the number.
  const department = (admin && named?.departments[0]) || ctx.actor.department;
  const candidates = plansForTasks(ctx, [p.taskId], { named: inPlan, department });
  if (candidates.length === 0) return noSuchTaskIn(ctx, [p.taskId], inPlan);
  if (candidates.length > 1) return askWhichPlan(candidates, [p.taskId], (label) => `${label} ${p.taskId} ${p.status}`);
  const { loaded } = candidates[0];
  const task = candidates[0].tasks[0];
  const key = { plan: loaded.plan.id, task: task.id };

  let departments: string[];
  let note = p.rest;
  if (admin) {
    // The coordinator (or an administrator) reports for a named department, or the only one.
    if (named) {
      departments = named.departments.filter((d) => task.departments.includes(d));
      note = named.rest;
      if (departments.length === 0) {
        return refuse(`第${task.id}项的责任部门是${departmentList(loaded, task.departments, false)}，不包括${named.departments.join('、')}。`, 'progress_refused');
      }
    } else if (ctx.actor.department && task.departments.includes(ctx.actor.department)) {
      departments = [ctx.actor.department];
    } else if (task.departments.length === 1) {
      departments = [...task.departments];
    } else {
      return refuse(
        `第${task.id}项有多个责任部门（${task.departments.join('、')}），请注明部门，例如「${taskMention(ctx, loaded.plan.id, task.id)} ${p.status} ${task.departments[0]} 备注」。`,
        'progress_ask_department',
      );
    }
  } else if (ctx.actor.department) {
    const dept = ctx.actor.department;
    if (named && !named.departments.includes(dept)) {
      return refuse(`本群绑定的是${dept}，只能更新${dept}的进展。`, 'progress_refused');
    }
    if (named) note = named.rest;
    if (!task.departments.includes(dept)) {
      return refuse(`第${task.id}项由${task.departments.join('、')}负责，不包括${dept}，本群不能更新它的进展。`, 'progress_refused');
    }
    departments = [dept];
  } else if (ctx.message.channel === 'web') {
    // The chat page has no groups to bind: the reader picks a department as identity there.
    return refuse(
      `访客身份只能查询。要登记进展，请在页面顶部的「身份」菜单中选择您的部门（如第${task.id}项的责任部门${task.departments[0]}），再发送「${taskMention(ctx, loaded.plan.id, task.id)} ${p.status}」。` +
        '（「身份」菜单只在本机打开页面或携带管理令牌时出现。）',
      'progress_unbound',
    );
  } else {
    return refuse(
      `本群还没有绑定部门，不能登记进展。请协调员（${coordinatorName(ctx)}）在本群发送「/bind 部门名称」绑定后再报送。`,
      'progress_unbound',
    );
  }

  const by = auditActorOf(ctx.message);
  const store = ctx.services.store;
  const changes: string[] = [];
  for (const d of departments) {
    const old = store.statusOf(key, d);
    await store.setStatus(key, d, p.status, note || undefined, by);
    changes.push(old === p.status ? `${d}：${p.status}` : `${d}：${old} → ${p.status}`);
  }
  const which = ctx.services.plans.size > 1 ? `【${planLabel(loaded)}】第${task.id}项` : `第${task.id}项`;
  const lines = [`已记录${which}进展。`, ...changes];
  if (note) lines.push(`备注：${note}`);
  if (departments.length === 1) {
    const left = store.rows({ department: departments[0] }).filter((r) => r.status !== '已完成').length;
    lines.push(left === 0 ? `${departments[0]}负责的任务已全部完成。` : `${departments[0]}还有 ${left} 项未完成。`);
  }
  return reply(lines.join('\n'), 'progress_report', [task], departments, loaded.plan.id);
}
