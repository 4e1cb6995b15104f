/**
 * npm run eval -- --lexicon   For each hand-written lexicon file: how many entries change no answer on the
 * development questions (answers compared with and without the entry: intent, first three tasks, departments).
 * A plan-specific synonym that changes nothing has not earned its place: --drop writes synonyms.json without
 * those entries. The other files hold general language knowledge (how officials name units, common typos,
 * personal-affairs cues) meant for questions and plans not seen yet; their counts are reported, not dropped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { loadLexicon, type Lexicon } from '../../src/nlu/lexicon.js';
import { normalize } from '../../src/nlu/normalize.js';
import { DATA_ROOT } from '../../src/plan/load.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import type { EvalQuestion } from './eval-lib.js';

interface LexiconFile {
  file: string;
  /** Plan-specific: idle entries are dropped with --drop. */
  planSpecific?: boolean;
  /** Entry keys as written in the file. */
  keys(lex: Lexicon): string[];
  /** The lexicon without one entry. */
  without(lex: Lexicon, key: string): Lexicon;
  /** The key as it would appear in a question. */
  surface(key: string): string;
  /** Rewrite the file without the given keys. */
  drop(keys: Set<string>): void;
}

const dir = path.join(DATA_ROOT, 'lexicon');
const readJson = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
const writeJson = (f: string, v: unknown) => writeFileSync(path.join(dir, f), `${JSON.stringify(v, null, 2)}\n`);
const dropKeys = (f: string) => (keys: Set<string>) => {
  const raw = readJson(f);
  writeJson(f, Object.fromEntries(Object.entries(raw).filter(([k]) => !keys.has(k.toLowerCase()) && !keys.has(k))));
};

const FILES: LexiconFile[] = [
  {
    file: 'synonyms.json',
    planSpecific: true,
    keys: (l) => [...l.synonyms.keys()],
    without: (l, k) => ({ ...l, synonyms: new Map([...l.synonyms].filter(([x]) => x !== k)) }),
    surface: (k) => k,
    drop: dropKeys('synonyms.json'),
  },
  {
    file: 'typos.json',
    keys: (l) => l.typos.map(([w]) => w),
    without: (l, k) => ({ ...l, typos: l.typos.filter(([w]) => w !== k) }),
    surface: (k) => k,
    drop: dropKeys('typos.json'),
  },
  {
    file: 'department-aliases.json',
    keys: (l) => [...l.departmentAliases.keys()],
    without: (l, k) => ({ ...l, departmentAliases: new Map([...l.departmentAliases].filter(([x]) => x !== k)) }),
    surface: (k) => k.toLowerCase(),
    drop: dropKeys('department-aliases.json'),
  },
  {
    file: 'out-of-scope.json (cues)',
    keys: (l) => l.outOfScopeCues,
    without: (l, k) => ({ ...l, outOfScopeCues: l.outOfScopeCues.filter((c) => c !== k) }),
    surface: (k) => k,
    drop: (keys) => {
      const raw = readJson('out-of-scope.json');
      writeJson('out-of-scope.json', { ...raw, cues: (raw.cues as string[]).filter((c) => !keys.has(c)) });
    },
  },
];

export function lexiconReport(loaded: LoadedPlan, questions: EvalQuestion[], drop = false): string[] {
  const lexicon = loadLexicon();
  const full = createQaEngine(loaded, { lexicon });
  const answer = (e: ReturnType<typeof createQaEngine>, q: string) => {
    const a = e.ask(q);
    return `${a.intent}|${a.tasks.slice(0, 3).map((t) => t.id)}|${a.departments}`;
  };
  const asked = questions.map((q) => ({ q: q.question, plain: normalize(q.question), raw: q.question.toLowerCase() }));
  const baseline = new Map(asked.map((a) => [a.q, answer(full, a.q)]));
  const lines: string[] = [];
  for (const f of FILES) {
    const keys = f.keys(lexicon);
    const idle = new Set<string>();
    for (const key of keys) {
      const s = f.surface(key);
      const touched = asked.filter((a) => a.plain.includes(s) || a.raw.includes(s));
      if (!touched.length) {
        idle.add(key);
        continue;
      }
      const engine = createQaEngine(loaded, { lexicon: f.without(lexicon, key) });
      if (touched.every((a) => answer(engine, a.q) === baseline.get(a.q))) idle.add(key);
    }
    lines.push(`${f.file.padEnd(26)} ${String(keys.length).padStart(4)} entries, ${String(idle.size).padStart(4)} change no development answer`);
    if (drop && f.planSpecific && idle.size) {
      // Entries idle one by one may not be idle together (two synonyms covering the same question): drop them one
      // at a time, keeping each drop only if every answer is still the same as with the full lexicon.
      let current = lexicon;
      const dropped = new Set<string>();
      for (const key of idle) {
        const trial = f.without(current, key);
        const s = f.surface(key);
        const touched = asked.filter((a) => a.plain.includes(s) || a.raw.includes(s));
        const engine = touched.length ? createQaEngine(loaded, { lexicon: trial }) : undefined;
        if (!engine || touched.every((a) => answer(engine, a.q) === baseline.get(a.q))) {
          current = trial;
          dropped.add(key);
        }
      }
      f.drop(dropped);
      lines.push(`${''.padEnd(26)} dropped ${dropped.size} (kept ${idle.size - dropped.size} that matter together with others)`);
    }
  }
  return lines;
}
