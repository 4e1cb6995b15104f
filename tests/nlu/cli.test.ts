import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function ask(args: string[], input?: string) {
  const r = spawnSync('npx', ['tsx', 'src/cli/ask.ts', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('npm run ask', () => {
  it('--json with a question prints one JSON object with the documented fields', () => {
    const out = ask(['--json', '支付令归哪个部门管']);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0]);
    expect(Object.keys(obj)).toEqual(['question', 'intent', 'tasks', 'departments', 'reply']);
    expect(obj.question).toBe('支付令归哪个部门管');
    expect(obj.intent).toBe('responsibility');
    expect(obj.tasks[0]).toEqual({ plan: 'default', id: 46, departments: ['人社', '法院', '司法行政', '总工会'], score: expect.any(Number) });
    expect(obj.reply).toContain('第46项');
  });

  it('reads questions from stdin, one per line, and answers each in order', () => {
    const out = ask(['--json'], '总工会有哪些任务?\n第99项\n今天天气怎么样\n你好\n');
    const objs = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs.map((o) => o.intent)).toEqual(['department_tasks', 'task_detail', 'unknown', 'help']);
    expect(objs[0].tasks).toHaveLength(42);
    expect(objs[1].tasks).toEqual([]);
    expect(objs[2].tasks).toEqual([]);
    expect(objs[2].departments).toEqual([]);
    expect(objs[3].tasks).toEqual([]);
  });

  it('without --json prints just the reply text', () => {
    const out = ask(['第46项是什么?']);
    expect(out).toContain('依法落实支付令制度');
    expect(out.trim().startsWith('{')).toBe(false);
  });
});
