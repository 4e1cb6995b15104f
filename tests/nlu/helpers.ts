import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import type { QaEngine } from '../../src/nlu/engine.js';

let cached: { loaded: LoadedPlan; engine: QaEngine } | undefined;

/** One engine for the whole test file (building it loads jieba, ~0.3 s). */
export function engine(): QaEngine {
  cached ??= (() => {
    const loaded = loadPlan();
    return { loaded, engine: createQaEngine(loaded) };
  })();
  return cached.engine;
}

export function loaded(): LoadedPlan {
  engine();
  return cached!.loaded;
}
