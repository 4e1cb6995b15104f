/**
 * npm run eval -- --lexicon   For each hand-written lexicon file: how many entries change no answer on the
 * development questions of every plan that has them (answers compared with and without the entry: intent, first
 * three tasks, departments): an entry serves any plan, so one that moves an answer of any plan's development set is
 * in use.
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

/** One plan's development questions, with the plan they ask about. */
export interface DevelopmentSet {
  loaded: LoadedPlan;
  questions: EvalQuestion[];
}

interface Asked {
  q: string;
  plain: string;
  raw: string;
  /** The answer with the full lexicon. */
  answer: string;
}

export function lexiconReport(sets: DevelopmentSet[], drop = false): string[] {
  const lexicon = loadLexicon();
  const answer = (e: ReturnType<typeof createQaEngine>, q: string) => {
    const a = e.ask(q);
    return `${a.intent}|${a.tasks.slice(0, 3).map((t) => t.id)}|${a.departments}`;
  };
  const plans = sets.map(({ loaded, questions }) => {
    const full = createQaEngine(loaded, { lexicon });
    const asked: Asked[] = questions.map((q) => ({ q: q.question, plain: normalize(q.question), raw: q.question.toLowerCase(), answer: answer(full, q.question) }));
    return { loaded, asked };
  });
  /** Does the lexicon answer every question an entry's words appear in as the full lexicon does, on every plan? */
  const unchanged = (lex: Lexicon, surface: string) =>
    plans.every(({ loaded, asked }) => {
      const touched = asked.filter((a) => a.plain.includes(surface) || a.raw.includes(surface));
      if (!touched.length) return true;
      const engine = createQaEngine(loaded, { lexicon: lex });
      return touched.every((a) => answer(engine, a.q) === a.answer);
    });
  const lines: string[] = [];
  for (const f of FILES) {
    const keys = f.keys(lexicon);
    const idle = new Set(keys.filter((key) => unchanged(f.without(lexicon, key), f.surface(key))));
    lines.push(`${f.file.padEnd(26)} ${String(keys.length).padStart(4)} entries, ${String(idle.size).padStart(4)} change no development answer`);
    if (drop && f.planSpecific && idle.size) {
      // Entries idle one by one may not be idle together (two synonyms covering the same question): drop them one
      // at a time, keeping each drop only if every answer is still the same as with the full lexicon.
      let current = lexicon;
      const dropped = new Set<string>();
      for (const key of idle) {
        const trial = f.without(current, key);
        if (unchanged(trial, f.surface(key))) {
          current = trial;
          dropped.add(key);
        }
      }
      f.drop(dropped);
      lines.push(`${''.padEnd(26)} dropped ${dropped.size} (kept ${idle.size - dropped.size} that matter together with others): ${[...dropped].join(' ')}`);
    }
  }
  return lines;
}
