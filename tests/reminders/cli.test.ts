import { defaultTask } from '../helpers/task.js';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookChatId } from '../../src/channels/wecom/index.js';
import { runRemindCli } from '../../src/cli/remind.js';
import { runPlanCli } from '../../src/cli/plan.js';
import type { DepartmentFile } from '../../src/plan/departments.js';
import { loadPlans, storePlan } from '../../src/plan/store.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { PLAN1, plan1, planWithoutTask3 } from '../plan/helpers.js';
import { openStore } from '../../src/state/store.js';
import { sharedPostgres, stopSharedPostgres } from '../helpers/postgres.js';
import { coordinatorActor, plan, tempDir } from '../state/helpers.js';

async function cli(args: string[], env: NodeJS.ProcessEnv, now?: string) {
  let text = '';
  const code = await runRemindCli(args, { env, out: (s) => (text += s), now: now ? () => new Date(now) : undefined });
  return { code, text };
}

describe('npm run remind -- preview', () => {
  it('prints the Monday digests as JSON without a state file or bindings, and [] on a public holiday', async () => {
    const t = await tempDir();
    const env = { DATA_DIR: `${t.dir}/none` };
    const monday = await cli(['preview', '--at', '2026-12-07T09:00+08:00', '--json'], env);
    const items = JSON.parse(monday.text) as Array<{ department: string; chat: string; kind: string; text: string }>;
    expect(items.filter((i) => i.kind === 'weekly-digest')).toHaveLength(9);
    expect(Object.keys(items[0]).sort()).toEqual(['chat', 'department', 'kind', 'text']);
    expect(items.find((i) => i.department === '总工会')?.chat).toBe('(未绑定群) 网页收件箱 dept:总工会');
    expect(JSON.parse((await cli(['preview', '--at', '2026-10-01T09:00+08:00', '--json'], env)).text)).toEqual([]);
    const one = JSON.parse((await cli(['preview', '--at', '2026-12-07T09:00+08:00', '--department', '工会', '--json'], env)).text);
    expect(one.map((i: { department: string }) => i.department)).toEqual(['总工会']);
    await t.cleanup();
  });

  it('on a fresh DATA_DIR, shows the group robots of WECOM_WEBHOOK_BINDINGS like the server would, and writes nothing', async () => {
    const t = await tempDir();
    const env = { DATA_DIR: `${t.dir}/fresh`, WECOM_WEBHOOK_BINDINGS: '总工会:0a1b2c3d-1111-2222-3333-444455556666,督办:0a1b2c3d-9999-2222-3333-444455556666' };
    const items = JSON.parse((await cli(['preview', '--at', '2026-12-07T09:00+08:00', '--json'], env)).text) as Array<{ department: string; chat: string; kind: string }>;
    expect(items.find((i) => i.department === '总工会' && i.kind === 'weekly-digest')?.chat).toMatch(/^总工会群机器人（wecom-webhook）/);
    expect(items.find((i) => i.department === '法院' && i.kind === 'weekly-digest')?.chat).toBe('(未绑定群) 网页收件箱 dept:法院');
    await expect(readdir(`${t.dir}/fresh`)).rejects.toThrow(/ENOENT/);
    await t.cleanup();
  });

  it('works while the bot holds the data directory, shows the bound group, and writes nothing', async () => {
    const t = await tempDir();
    const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    await store.bind({ channel: 'telegram', chatId: '-100', role: 'department', department: '总工会', title: '总工会工作群' }, coordinatorActor);
    const before = store.writeCount;
    const r = await cli(['preview', '--at', '2026-12-07', '--department', '总工会'], { DATA_DIR: t.dir });
    expect(r.text).toMatch(/=== 2026\/12\/7 09:1\d 总工会 · weekly-digest → 总工会工作群（telegram）/);
    expect(store.writeCount).toBe(before);
    await expect(cli(['run'], { DATA_DIR: t.dir })).rejects.toThrow(/正被另一个督办助手进程使用/);
    await store.close();
    await t.cleanup();
  });
});


describe('npm run remind -- preview right after a plan revision', () => {
  it('shows the tasks under their new numbers before the server has started again, and writes nothing', async () => {
    const t = await tempDir();
    const first = plan1();
    storePlan(t.dir, { plan: { ...first.plan, id: 'default' }, departments: JSON.parse(readFileSync(path.join(PLAN1, 'departments.json'), 'utf8')) as DepartmentFile, shipped: true });
    // The court's task 5 is in progress with a deadline; its digest lists it with the deadline.
    const task5 = first.plan.tasks.find((x) => x.id === 5)!;
    expect(task5.departments).toContain('法院');
    const store = await openStore({ dir: t.dir, plans: new PlanSet(loadPlans(t.dir)), fsync: false });
    await store.setStatus(defaultTask(5), '法院', '进行中', '已起草实施细则', coordinatorActor);
    await store.setDeadline(defaultTask(5), '2026-12-31', '法院', coordinatorActor);
    await store.close();
    const digestOf = async () => {
      const items = JSON.parse((await cli(['preview', '--at', '2026-12-07T09:00+08:00', '--department', '法院', '--json'], { DATA_DIR: t.dir })).text) as Array<{ kind: string; text: string }>;
      return items.find((i) => i.kind === 'weekly-digest')!.text;
    };
    const line = (text: string, id: number) => text.split('\n').find((l) => l.startsWith(`· 第${id}项 `));
    expect(line(await digestOf(), 5)).toMatch(/进行中/);

    // The revised plan drops task 3: task 5 becomes task 4. Imported while no server runs.
    const file = path.join(t.dir, 'revised.txt');
    await writeFile(file, planWithoutTask3());
    let out = '';
    expect(await runPlanCli(['import', file, '--id', 'default', '--yes'], { env: { DATA_DIR: t.dir }, out: (s) => (out += s) }), out).toBe(0);
    const state = await readFile(path.join(t.dir, 'state.json'));
    const journal = await readFile(path.join(t.dir, 'state.journal')).catch(() => undefined);

    const digest = await digestOf();
    expect(line(digest, 4)).toMatch(/进行中/);
    expect(line(digest, 4)).toContain('12月31日');
    expect(line(digest, 5) ?? '').not.toMatch(/进行中/);
    // Read-only: the state on disk is as it was; the server follows the revision for good when it next starts.
    expect(await readFile(path.join(t.dir, 'state.json'))).toEqual(state);
    expect(await readFile(path.join(t.dir, 'state.journal')).catch(() => undefined)).toEqual(journal);
    await t.cleanup();
  });
});

describe('npm run remind -- run', () => {
  it('sends what is due now to the console and records it; running again sends nothing', async () => {
    const t = await tempDir();
    const s = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    await s.bind({ channel: 'console', chatId: 'zgh', role: 'department', department: '总工会' }, coordinatorActor);
    await s.close();
    const env = { DATA_DIR: t.dir };
    const first = await cli(['run'], env, '2026-12-07T09:30:00+08:00');
    expect(first.text).toMatch(/=== → zgh\n（补发）【督办周报】总工会/); // 19 minutes after its 09:11 slot
    const second = await cli(['run'], env, '2026-12-07T09:31:00+08:00');
    expect(second.text).not.toContain('【督办周报】');
    await t.cleanup();
  });
});

describe('npm run remind with DATABASE_URL: the state the servers share, not the (empty) data directory', () => {
  afterAll(() => stopSharedPostgres(), 60_000);

  it('preview shows the groups bound and robots added on the servers; report counts their updates; run sends and records in the database', async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const [server, cliDir] = [await tempDir(), await tempDir()];
    const shared = await openStore({ dir: server.dir, loaded: plan(), databaseUrl: url });
    try {
      await shared.bind({ channel: 'telegram', chatId: '-100', role: 'department', department: '总工会', title: '总工会工作群' }, coordinatorActor);
      const key = 'cafebabe-1111-2222-3333-444455556666';
      await shared.setRobotKeys({ [webhookChatId('法院', key)]: { department: '法院', key } }); // /hook 法院 … on a server
      const task = plan().plan.tasks.find((t) => t.id === 48)!;
      for (const d of task.departments) await shared.setStatus(defaultTask(48), d, '已完成', '', { ...coordinatorActor, name: d });

      const env = { DATA_DIR: path.join(cliDir.dir, 'empty'), DATABASE_URL: url, WECOM_WEBHOOK_BINDINGS: '督办:0a1b2c3d-9999-2222-3333-444455556666' };
      const items = JSON.parse((await cli(['preview', '--at', '2026-12-07T09:00+08:00', '--json'], env)).text) as Array<{ department: string; chat: string; kind: string }>;
      const digest = (d: string) => items.find((i) => i.department === d && i.kind === 'weekly-digest')?.chat;
      expect(digest('总工会')).toBe('总工会工作群（telegram）');
      expect(digest('法院')).toMatch(/^法院群机器人（wecom-webhook）/);

      const done = async (e: NodeJS.ProcessEnv) => {
        const r = await cli(['report', '--week', '2026-12-07', '--out', path.join(cliDir.dir, `r-${Math.random()}.docx`)], e, '2026-12-08T12:00:00+08:00');
        return Number(/已完成 (\d+)/.exec(r.text)?.[1]);
      };
      // Task 48 done by each of its departments: one per department (the embedded, empty state has none).
      expect(await done(env)).toBe((await done({ DATA_DIR: path.join(cliDir.dir, 'embedded') })) + task.departments.length);

      await shared.bind({ channel: 'console', chatId: 'zgh-console', role: 'department', department: '总工会' }, coordinatorActor);
      const run = await cli(['run'], env, '2026-12-07T09:30:00+08:00');
      expect(run.text).toMatch(/=== → zgh-console\n（补发）【督办周报】总工会/);
      await shared.refresh();
      expect(shared.outbox({ channel: 'console', status: 'sent' }).map((r) => r.chatId)).toEqual(['zgh-console']);
      // Nothing was written beside the CLI: the state is in the database.
      await expect(readdir(path.join(cliDir.dir, 'empty'))).rejects.toThrow(/ENOENT/);
    } finally {
      await shared.close();
      await server.cleanup();
      await cliDir.cleanup();
    }
  }, 120_000);
});
