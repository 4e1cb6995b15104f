import type { Task } from '../types.js';

/** What matching needs of a plan version: its tasks' numbers and texts. */
export interface TaskTexts {
  tasks: ReadonlyArray<Pick<Task, 'id' | 'text'>>;
}

/** How the tasks of a plan's new version relate to the old one's, matched by their text. */
export interface Revision {
  /** Same number, same text. */
  unchanged: number;
  /** Same text under another number: old → new. */
  renumbered: Array<{ from: number; to: number }>;
  /** Text reworded (most of it kept): old → new, with how much of it is shared (0–1). */
  reworded: Array<{ from: number; to: number; similarity: number }>;
  added: number[];
  removed: number[];
}

const normal = (s: string) => s.replace(/[\s，。、；：,.;:“”"'‘’（）()【】《》!?！？]/g, '');

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
}

/** Dice coefficient of the character bigrams: 1 for equal texts, near 0 for unrelated ones. */
function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [g, n] of a) shared += Math.min(n, b.get(g) ?? 0);
  for (const n of a.values()) total += n;
  for (const n of b.values()) total += n;
  return total ? (2 * shared) / total : 0;
}

/** Below this share of common wording two tasks are different tasks. */
const REWORDED_MIN = 0.6;

/**
 * Match the tasks of a revised plan to the old version's: equal text first (wherever it moved), then
 * the most similar remaining pairs. Progress recorded against an old task belongs to its match.
 */
export function matchRevision(old: TaskTexts, next: TaskTexts): Revision {
  const r: Revision = { unchanged: 0, renumbered: [], reworded: [], added: [], removed: [] };
  const oldLeft = new Map(old.tasks.map((t) => [t.id, normal(t.text)]));
  const newLeft = new Map(next.tasks.map((t) => [t.id, normal(t.text)]));
  for (const [id, text] of [...newLeft]) {
    // The same number first, so a repeated text does not pull a task away from its own number.
    const from = oldLeft.get(id) === text ? id : [...oldLeft].find(([, t]) => t === text)?.[0];
    if (from === undefined) continue;
    if (from === id) r.unchanged++;
    else r.renumbered.push({ from, to: id });
    oldLeft.delete(from);
    newLeft.delete(id);
  }
  const oldGrams = new Map([...oldLeft].map(([id, t]) => [id, bigrams(t)]));
  const newGrams = new Map([...newLeft].map(([id, t]) => [id, bigrams(t)]));
  const pairs: Array<{ from: number; to: number; similarity: number }> = [];
  for (const [from, a] of oldGrams) {
    for (const [to, b] of newGrams) {
      const s = similarity(a, b);
      if (s >= REWORDED_MIN) pairs.push({ from, to, similarity: Math.round(s * 100) / 100 });
    }
  }
  for (const p of pairs.sort((a, b) => b.similarity - a.similarity || a.to - b.to)) {
    if (!oldLeft.has(p.from) || !newLeft.has(p.to)) continue;
    r.reworded.push(p);
    oldLeft.delete(p.from);
    newLeft.delete(p.to);
  }
  r.reworded.sort((a, b) => a.to - b.to);
  r.added = [...newLeft.keys()];
  r.removed = [...oldLeft.keys()];
  return r;
}

/** The mapping as the preview prints it. */
export function describeRevision(r: Revision): string[] {
  const lines = [`与原版本相比：${r.unchanged} 项未变，${r.renumbered.length} 项改了序号，${r.reworded.length} 项改了文字，新增 ${r.added.length} 项，删除 ${r.removed.length} 项`];
  if (r.renumbered.length) lines.push(`  改了序号（内容相同）：${r.renumbered.map((m) => `第${m.from}项 → 第${m.to}项`).join('、')}`);
  if (r.reworded.length) lines.push(`  改了文字：${r.reworded.map((m) => `第${m.from}项 → 第${m.to}项（${Math.round(m.similarity * 100)}% 相同）`).join('、')}`);
  if (r.added.length) lines.push(`  新增：${r.added.map((i) => `第${i}项`).join('、')}`);
  if (r.removed.length) lines.push(`  删除：${r.removed.map((i) => `第${i}项`).join('、')}（其进展和期限留在历史记录中，不再列入台账和提醒）`);
  if (r.renumbered.length || r.reworded.length) lines.push('  确认后，改了序号或文字的任务保留原有的进展和期限（按新序号）。');
  return lines;
}
