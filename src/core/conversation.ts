/**
 * Conversation context and paging, for every channel: a middleware around the handler chain.
 * Per chat and per sender (a group keeps one context per member) it remembers the last answer's
 * intent, tasks and departments for a while, resolves follow-ups (「那法院呢」「其中跟协商有关的呢」「第二个」
 * 「它什么时候到期」「谁牵头」) into full questions for the handlers, and sends long answers in pages continued by 「更多」.
 * It works from the neutral Reply only: it knows no plan, no state and no engine internals.
 */
import type { Middleware } from './context.js';
import type { Message, Reply, TaskRef } from './types.js';
import { parseFollowUp, type Aspect, type DepartmentSplitter, type FollowUp } from './follow-up.js';
import { pageOf, paginate } from './paging.js';

export interface ConversationOptions {
  /** How long an answer stays the context of follow-ups; 0 turns context (not paging) off. */
  ttlMs: number;
  /** Most conversations remembered; the least recently used is forgotten first. */
  maxConversations: number;
  /** Lines per page of a long answer. */
  pageLines: number;
  splitDepartments: DepartmentSplitter;
  /** The lead units (牵头单位) of a task as the plan prints them; [] when the plan names responsible units only. */
  leadOf?: (taskId: number, plan?: string) => string[];
}

interface Context {
  intent: string;
  tasks: TaskRef[];
  departments: string[];
  /** The topic the last unit's list was narrowed to. */
  topic?: string;
  at: number;
  /** Pages of the last long answer and the index of the next one to send. */
  pages?: string[];
  next?: number;
}

/** Intents whose answer is a department's list: the same question is asked again for another department. */
const SAME_QUESTION_FOR: Record<string, (department: string) => string> = {
  department_tasks: (d) => `${d}有哪些任务`,
  progress_pending: (d) => `${d}还有哪些没完成`,
  progress_overdue: (d) => `${d}哪些任务逾期了`,
  progress_due: (d) => `${d}今后14天内到期的任务`,
};

/** Answers that are about one task first (the best match), the rest being related or runners-up. */
const ONE_TASK_INTENTS = new Set(['responsibility', 'task_detail', 'progress_status', 'progress_report', 'deadline_set', 'deadline_show']);

/** How long the pages of a long answer stay reachable at least, whatever the follow-up context's lifetime. */
const PAGES_KEPT_MS = 30 * 60_000;

/** Added to help: what this layer understands. */
const FOLLOW_UP_HELP = '可以接着上一个回答追问：「那＋部门名呢」「其中跟＋事项＋有关的呢」「第二个」「它什么时候到期」「进展如何」「谁牵头」；较长的回答分页发送，发「更多」看下一页、「上一页」往回翻。';

/** Most tasks one plural follow-up ("这几项进展如何") answers at once. */
const MAX_TASKS_AT_ONCE = 5;

/** The intent of the answer to 「还有类似的吗」: the other tasks of an answer about one task. */
const OTHERS = 'related_tasks';

export function conversationKey(m: Message): string {
  return `${m.channel}\u0000${m.chatId}\u0000${m.userId}`;
}

/** Characters of unsent pages kept over all conversations (about 2 MB a thousand long lists): beyond it, the oldest go. */
const MAX_PAGE_CHARS = 4_000_000;

const pageChars = (c: Context) => c.pages?.reduce((n, p) => n + p.length, 0) ?? 0;

/**
 * A memory-bounded, time-limited map of conversations, least recently used first out: at most `max`
 * conversations, and at most `maxPageChars` characters of pages over all of them.
 */
export class ConversationMemory {
  private readonly map = new Map<string, Context>();
  private chars = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly maxPageChars = MAX_PAGE_CHARS,
  ) {}

  get(key: string, now: number): Context | undefined {
    const c = this.map.get(key);
    if (!c) return undefined;
    if (now - c.at > this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    return c;
  }

  set(key: string, context: Context): void {
    this.delete(key);
    this.map.set(key, context);
    this.chars += pageChars(context);
    while (this.map.size > this.max || (this.chars > this.maxPageChars && this.map.size > 1)) this.delete(this.map.keys().next().value!);
  }

  private delete(key: string): void {
    const old = this.map.get(key);
    if (!old) return;
    this.chars -= pageChars(old);
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Characters of pages held (for tests and figures). */
  get pageCharacters(): number {
    return this.chars;
  }
}

function answer(text: string, intent: string, tasks: TaskRef[] = [], departments: string[] = []): Reply {
  return { text, intent, tasks, departments };
}

function taskName(t: TaskRef): string {
  return `第${t.id}项`;
}

/** The tasks a reference points at: 「第二个」 → the 2nd listed, 「它」 → the answer's main task, 「这几项」 → all (bounded). */
function referredTasks(c: Context, f: Extract<FollowUp, { kind: 'reference' }>): TaskRef[] | string {
  if (!c.tasks.length) return '上一条回答没有涉及具体任务。请说明是第几项任务，例如「第1项什么时候到期」。';
  if (f.ordinal) {
    const t = c.tasks[f.ordinal - 1];
    return t ? [t] : `上一条回答只列出了${c.tasks.length}项任务，没有第${f.ordinal}个。`;
  }
  if (f.plural) return c.tasks.slice(0, MAX_TASKS_AT_ONCE);
  if (ONE_TASK_INTENTS.has(c.intent) || c.tasks.length === 1) return [c.tasks[0]];
  return `上一条回答列出了${c.tasks.length}项任务，请说明是哪一个，例如「第一个${f.aspect === 'deadline' ? '什么时候到期' : f.aspect === 'progress' ? '进展如何' : '是什么'}」或「第${c.tasks[0].id}项」。`;
}

/** Who leads: as the plan states it; a plan with one 责任单位 column names no lead, and the answer says so. */
function leadAnswer(tasks: TaskRef[], departments: string[], leadOf: (taskId: number, plan?: string) => string[]): Reply {
  if (!tasks.length) {
    return answer(
      departments.length
        ? `方案没有写明牵头部门。上一条回答涉及的部门：${departments.join('、')}。可以问具体某一项，例如「第N项谁牵头」。`
        : '方案没有写明牵头部门。请说明是第几项任务。',
      'lead',
      [],
      departments,
    );
  }
  const lines = tasks.map((t) => {
    const lead = leadOf(t.id, t.plan);
    const others = t.departments.filter((d) => !lead.includes(d));
    return lead.length
      ? `${taskName(t)}：牵头单位为${lead.join('、')}${others.length ? `，配合单位为${others.join('、')}` : ''}。`
      : `${taskName(t)}：方案未写明牵头部门；责任部门依次为${t.departments.join('、')}（列在首位的是${t.departments[0]}）。`;
  });
  return answer(lines.join('\n'), 'lead', tasks, [...new Set(tasks.flatMap((t) => t.departments))]);
}

/** The question a follow-up stands for; progress questions name the task's plan by its id (「p2 第5项进展如何」). */
const QUESTION_FOR_ASPECT: Record<Exclude<Aspect, 'lead'>, (t: TaskRef) => string> = {
  deadline: (t) => `${t.plan ? `${t.plan} ` : ''}第${t.id}项进展如何`,
  progress: (t) => `${t.plan ? `${t.plan} ` : ''}第${t.id}项进展如何`,
  who: (t) => `第${t.id}项是什么`,
  detail: (t) => `第${t.id}项是什么`,
};

function joinReplies(replies: Reply[]): Reply | undefined {
  if (replies.length <= 1) return replies[0];
  return {
    text: replies.map((r) => r.text).join('\n\n'),
    intent: replies[0].intent,
    tasks: replies.flatMap((r) => r.tasks),
    departments: [...new Set(replies.flatMap((r) => r.departments))],
    ...(replies[0].topic ? { topic: replies[0].topic } : {}),
  };
}

export function conversationMiddleware<S>(options: ConversationOptions): Middleware<S> {
  // Pages stay reachable with 「更多」 for at least half an hour, also when follow-ups are switched off (ttlMs 0).
  const memory = new ConversationMemory(Math.max(options.ttlMs, PAGES_KEPT_MS), options.maxConversations);
  /**
   * The reply becomes the context of the next follow-up. A long reply is cut into pages; a short answer to a
   * follow-up («第二个什么时候到期») keeps the pages still unsent, so 「更多」 continues the last list.
   */
  const remember = (key: string, reply: Reply, at: number, previous?: Context): Reply => {
    // Help is read as a whole (its command list is the point); lists and long answers are paged.
    const pages = reply.intent === 'help' ? [reply.text] : paginate(reply.text, options.pageLines);
    const paged = pages.length > 1 ? { pages, next: 1 } : previous?.pages ? { pages: previous.pages, next: previous.next } : {};
    memory.set(key, { intent: reply.intent, tasks: reply.tasks, departments: reply.departments, topic: reply.topic, at, ...paged });
    return pages.length > 1 ? { ...reply, text: pageOf(pages, 0) } : reply;
  };

  return async (ctx, next) => {
    const key = conversationKey(ctx.message);
    const now = ctx.now.getTime();
    const follow = ctx.command ? undefined : parseFollowUp(ctx.text, options.splitDepartments);
    const stored = memory.get(key, now);
    const context = stored && options.ttlMs > 0 && now - stored.at <= options.ttlMs ? stored : undefined;

    if (follow?.kind === 'more') {
      // 「还有类似的吗」 after an answer about one task: its other tasks (related ones, runners-up), in full
      if (!stored?.pages && context && ONE_TASK_INTENTS.has(context.intent) && context.tasks.length > 1) {
        const others = context.tasks.slice(1, 1 + MAX_TASKS_AT_ONCE);
        const replies = await askAll(others.map((t) => QUESTION_FOR_ASPECT.detail(t)), next);
        const joined = joinReplies(replies);
        if (joined) {
          memory.set(key, { intent: OTHERS, tasks: others, departments: joined.departments, at: now });
          return { ...joined, intent: OTHERS, text: `与${taskName(context.tasks[0])}相近的还有：\n\n${joined.text}` };
        }
      }
      if (!stored?.pages || stored.next === undefined || stored.next >= stored.pages.length) {
        const allSent = stored?.pages || stored?.intent === OTHERS;
        return answer(allSent ? '上一条回答已全部发送完毕，没有更多内容了。' : '没有可以继续的内容。「更多」用于继续上一条较长的回答。', 'more_none');
      }
      const text = pageOf(stored.pages, stored.next);
      memory.set(key, { ...stored, next: stored.next + 1, at: now });
      return answer(text, 'more', stored.tasks, stored.departments);
    }

    if (follow?.kind === 'previous') {
      // the page before the one last sent (「更多」 then goes on from there)
      const shownLast = (stored?.next ?? 0) - 1;
      if (!stored?.pages || shownLast < 1) return answer(stored?.pages ? '已经是第一页。' : '没有可以往回翻的内容。「上一页」用于翻看上一条较长回答的前一页。', 'more_none');
      memory.set(key, { ...stored, next: shownLast, at: now });
      return answer(pageOf(stored.pages, shownLast - 1), 'more', stored.tasks, stored.departments);
    }

    if (follow?.kind === 'reference' && !context && options.ttlMs > 0) {
      return answer('没有可以参照的上文（还没有提问，或上一次回答已过去太久）。请说明是第几项任务，例如「第1项什么时候到期」。', 'follow_up_unclear');
    }
    // Not a follow-up, or nothing to follow up on: a fresh question, answered as it stands.
    if (!follow || !context || options.ttlMs <= 0) {
      const reply = await next();
      if (reply?.intent === 'help' && options.ttlMs > 0) return remember(key, { ...reply, text: `${reply.text}\n${FOLLOW_UP_HELP}` }, now);
      return reply ? remember(key, reply, now) : reply;
    }

    const resolved = await resolve(follow, context, next, options.leadOf ?? (() => []));
    if (!resolved) return undefined;
    // A lead answer or a request to be precise is about the context itself: keep it as it was.
    if (resolved.intent === 'lead' || resolved.intent === 'follow_up_unclear') {
      memory.set(key, { ...context, at: now });
      return resolved;
    }
    return remember(key, resolved, now, context);
  };
}

async function resolve(
  follow: Exclude<FollowUp, { kind: 'more' | 'previous' }>,
  c: Context,
  next: (text?: string) => Promise<Reply | undefined>,
  leadOf: (taskId: number, plan?: string) => string[],
): Promise<Reply | undefined> {
  if (follow.kind === 'narrow') {
    // 「其中跟协商有关的呢」 after a unit's list: that unit's tasks about the topic; after anything else, asked as it stands
    return c.intent === 'department_tasks' && c.departments.length ? next(`${c.departments.join('、')}跟${follow.topic}有关的任务有哪些`) : next();
  }
  if (follow.kind === 'department') {
    const [dept] = follow.departments;
    // (a list narrowed to a topic is asked again narrowed the same: 总工会跟协商有关的任务 → 那法院呢 → 法院's on 协商)
    const again = c.intent === 'department_tasks' && c.topic ? (d: string) => `${d}跟${c.topic}有关的任务有哪些` : SAME_QUESTION_FOR[c.intent];
    if (again && c.departments.length) return joinReplies(await askAll(follow.departments.map(again), next));
    if (!c.tasks.length) return next();
    // The last answer was about tasks: does this department take part, and what else is it responsible for?
    const focus = ONE_TASK_INTENTS.has(c.intent) ? [c.tasks[0]] : c.tasks;
    const lines = focus.length === 1
      ? follow.departments.map((d) =>
          focus[0].departments.includes(d)
            ? `${d}是${taskName(focus[0])}的责任部门之一（共${focus[0].departments.length}个：${focus[0].departments.join('、')}）。`
            : `${d}不在${taskName(focus[0])}的责任部门中（责任部门：${focus[0].departments.join('、')}）。`,
        )
      : follow.departments.map((d) => {
          const mine = focus.filter((t) => t.departments.includes(d)).map((t) => t.id);
          return mine.length ? `上一条回答的${focus.length}项任务中，${d}负责其中${mine.length}项：第${mine.join('、')}项。` : `上一条回答的${focus.length}项任务都不包括${d}。`;
        });
    const list = await next(`${dept}有哪些任务`);
    if (!list) return answer(lines.join('\n'), 'department_role', focus, follow.departments);
    return { ...list, text: [...lines, '', list.text].join('\n') };
  }

  // 「这几个部门里谁牵头」 after an answer about one task: the departments of that task.
  const tasks = follow.aspect === 'lead' && !follow.ordinal && ONE_TASK_INTENTS.has(c.intent) && c.tasks.length ? [c.tasks[0]] : referredTasks(c, follow);
  if (typeof tasks === 'string') return answer(tasks, 'follow_up_unclear', c.tasks, c.departments);
  const aspect = follow.aspect;
  if (aspect === 'lead') return leadAnswer(tasks, c.departments, leadOf);
  return joinReplies(await askAll(tasks.map((t) => QUESTION_FOR_ASPECT[aspect](t)), next));
}

async function askAll(questions: string[], next: (text?: string) => Promise<Reply | undefined>): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const q of questions) {
    const r = await next(q);
    if (r) replies.push(r);
  }
  return replies;
}
