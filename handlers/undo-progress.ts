/**
 * 「撤销」「刚才报错了，撤回」: the last progress this chat reported, set back as it was — within a while, and only while
 * nobody has changed that row since. The undo is itself a change, recorded in the history like any other.
 */
import type { Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { auditActorOf } from '../src/core/actor.js';
import type { AuditEntry, ProgressStatus } from '../src/state/types.js';
import { reply, refuse, type Ctx } from './progress-common.js';

/** The whole message asks to take back what was just reported. */
const UNDO = /^(?:(?:刚才|刚刚)?(?:报|填|发|登记)错了?[,，。\s]*)?(?:请|麻烦)?(?:撤销|撤回|回退)(?:一下)?(?:刚才|刚刚|上一条|上一次|最近一次)?(?:的|那条)?(?:进展|报送|登记|进度)?[。.!！]?$|^undo$/i;
/** How long a report may still be taken back. */
const UNDO_WINDOW_MS = 30 * 60_000;

interface StatusChange {
  status: ProgressStatus;
  note?: string;
}

/** `b` set back exactly what `a` changed, on the same row. */
function reverses(b: AuditEntry, a: AuditEntry): boolean {
  const same = (x: unknown, y: unknown) => (x as StatusChange).status === (y as StatusChange).status && ((x as StatusChange).note ?? '') === ((y as StatusChange).note ?? '');
  return b.plan === a.plan && b.taskId === a.taskId && b.department === a.department && same(b.old, a.new) && same(b.new, a.old);
}

export const undoProgressHandler: Handler<Services> = (ctx) => (!ctx.command && UNDO.test(ctx.text.normalize('NFKC').trim()) ? undo(ctx) : undefined);

async function undo(ctx: Ctx) {
  const { store, plans } = ctx.services;
  const since = new Date(ctx.now.getTime() - UNDO_WINDOW_MS).toISOString();
  const mine = store
    .history({ action: 'status', since })
    .filter((h) => h.actor.channel === ctx.message.channel && h.actor.chatId === ctx.message.chatId);
  // (a report and the undo of it cancel out: 撤销 again takes back the report before them)
  const open: AuditEntry[] = [];
  for (const h of mine) {
    if (open.length && reverses(h, open[open.length - 1])) open.pop();
    else open.push(h);
  }
  const last = open.at(-1);
  if (!last || last.taskId === undefined || !last.department) {
    return refuse('没有可撤销的进展：只能撤销本群30分钟内登记、还没有撤销的进展。', 'progress_undo_none');
  }
  const key = { plan: last.plan ?? plans.first.plan.id, task: last.taskId };
  const before = last.old as StatusChange;
  const after = last.new as StatusChange;
  const now = store.status(key, last.department);
  // (someone changed the row since: theirs stands)
  if ((now?.status ?? '未开始') !== after.status || (now?.note ?? undefined) !== (after.note ?? undefined)) {
    return refuse(`第${key.task}项${last.department}的进展此后又有更新，没有撤销。`, 'progress_undo_refused');
  }
  await store.setStatus(key, last.department, before.status, before.note, auditActorOf(ctx.message));
  const task = plans.task(key);
  return reply(
    `已撤销第${key.task}项${last.department}的进展：${after.status} → ${before.status}${before.note ? `（备注：${before.note}）` : ''}。`,
    'progress_undo',
    task ? [task] : [],
    [last.department],
    key.plan,
  );
}
