import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('configuration is documented where operators look', () => {
  it('every variable the code reads (through core/env.ts) has its line in .env.example', () => {
    const read = new Set<string>();
    const reader = /\b(?:string|optionalString|integer|boolean|url|list|base)\(\s*\w+,\s*'([A-Z][A-Z0-9_]+)'/g;
    for (const file of sources(path.join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(reader)) read.add(m[1]);
    }
    const documented = new Set([...readFileSync(path.join(ROOT, '.env.example'), 'utf8').matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(40);
    expect([...read].filter((v) => !documented.has(v)).sort()).toEqual([]);
  });
});
