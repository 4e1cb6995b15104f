/**
 * What a chat API question costs in-process, layer by layer, on the server's own path (startServer's bot, a guest on
 * the web page as POST /api/ask sends it): the engine's analysis, then the reply and the plan router, then the
 * conversation layer and the handler chain, then the JSON. The HTTP bench's /api/ask CPU less the total is the HTTP
 * side. The eval questions, the JIT warm (one pass first), each layer timed on all of them in turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../src/server/start.js';
import { toAnswerJson } from '../src/server/app.js';
import type { Message } from '../src/core/types.js';
import { loadQuestions } from '../tests/eval/eval-lib.js';

export interface RequestPathResult {
  questions: number;
  /** ms per question: the engine's analysis, and what each further layer adds to it. */
  analyzeMs: number;
  routedMs: number;
  botMs: number;
  jsonMs: number;
  totalMs: number;
}

export async function requestPathBench(passes = 5): Promise<RequestPathResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'duban-path-bench-'));
  const running = await startServer({ env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ANSWER_CACHE_SIZE: '0' }, scheduler: false });
  try {
    const questions = loadQuestions().map((q) => q.question);
    const guest = (text: string): Message => ({ channel: 'web', chatId: 'guest', chatType: 'private', userId: 'web:127.0.0.1', userName: '访客', text });
    const layers: Array<(q: string) => unknown> = [
      (q) => running.qa.analyze(q),
      (q) => running.qa.ask(q, { chat: 'bench' }),
      (q) => running.bot.handle(guest(q)),
      async (q) => JSON.stringify(toAnswerJson(q, await running.bot.handle(guest(q)))),
    ];
    // every question through one layer, then the next (one question through all layers at once would find the later
    // layers' work cached by the first); each layer's extra cost taken within one pass, the median over the passes
    const pass = async () => {
      const ms: number[] = [];
      for (const layer of layers) {
        const t = performance.now();
        for (const q of questions) await layer(q);
        ms.push((performance.now() - t) / questions.length);
      }
      return ms;
    };
    await pass(); // warm-up: the JIT and the lazy tables
    const runs: number[][] = [];
    for (let p = 0; p < passes; p++) runs.push(await pass());
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const [analyzeMs, routedMs, botMs, jsonMs] = layers.map((_, k) => median(runs.map((r) => r[k] - (r[k - 1] ?? 0))));
    return { questions: questions.length, analyzeMs, routedMs, botMs, jsonMs, totalMs: median(runs.map((r) => r[r.length - 1])) };
  } finally {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatRequestPath(r: RequestPathResult): string {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  return [
    `Chat API path in-process (${r.questions} eval questions, JIT warm, a guest as POST /api/ask sends them), per question:`,
    `  engine analysis ${ms(r.analyzeMs)}; + reply and plan router ${ms(r.routedMs)}; + conversation and handlers ${ms(r.botMs)}; + JSON ${ms(r.jsonMs)}`,
    `  total ${ms(r.totalMs)} (the HTTP section's /api/ask main-thread CPU less this is the HTTP side; the questions repeat here, so the segmenter's memo answers)`,
  ].join('\n');
}
