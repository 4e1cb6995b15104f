import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runRemindCli } from '../../src/cli/remind.js';
import { openStore } from '../../src/state/store.js';
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
