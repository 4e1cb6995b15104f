import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A data file shipped with @node-rs/jieba (dict.txt, idf.txt), read directly so only what we use stays in memory. */
export function jiebaFile(name: 'dict.txt' | 'idf.txt'): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba')), name));
}
