/** Examples in reminders use the reader's own tasks: every department's digest names one of its pending tasks. */
import { describe, expect, it } from 'vitest';
import { runRemindCli } from '../../src/cli/remind.js';
import { loadPlan } from '../../src/plan/load.js';
import { tempDir } from '../state/helpers.js';

describe('the weekly digest tells each department how to report, with one of its own tasks', () => {
  it('「回复「N 已完成」…」 names a task of that department, for every department', async () => {
    const t = await tempDir();
    let text = '';
    await runRemindCli(['preview', '--at', '2026-12-07T09:00+08:00', '--json'], { env: { DATA_DIR: `${t.dir}/none` }, out: (s) => (text += s) });
    const digests = (JSON.parse(text) as Array<{ department: string; kind: string; text: string }>).filter((i) => i.kind === 'weekly-digest');
    const { plan, registry } = loadPlan();
    expect(digests.map((d) => d.department).sort()).toEqual([...registry.names].sort());
    for (const d of digests) {
      const m = /回复「(\d+) 已完成」或「\/progress (\d+) 进行中 备注」/.exec(d.text);
      expect(m, d.department).not.toBeNull();
      expect(m![1]).toBe(m![2]);
      const id = Number(m![1]);
      expect(plan.tasks.find((task) => task.id === id)?.departments, d.department).toContain(d.department);
    }
    await t.cleanup();
  });
});
