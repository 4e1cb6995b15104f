import { defaultTask } from '../helpers/task.js';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStateCli } from '../../src/cli/state.js';
import { listBackups } from '../../src/state/backup.js';
import { JOURNAL_FILE, openStore, STATE_FILE } from '../../src/state/store.js';
import { coordinatorActor, manualClock, plan, tempDir } from './helpers.js';

async function cli(args: string[], dir: string) {
  let text = '';
  const code = await runStateCli(args, { env: { DATA_DIR: dir }, out: (s) => (text += s) });
  return { code, text };
}

const dept = () => plan().plan.tasks[0].departments[0];
const task = () => plan().plan.tasks[0].id;

describe('backups', () => {
  it('one a day while the bot runs, kept for 14 days; none for a state with nothing in it yet', async () => {
    const t = await tempDir();
    const clock = manualClock('2026-12-01T08:00:00+08:00');
    try {
      const open = () => openStore({ dir: t.dir, loaded: plan(), fsync: false, clock: clock.now });
      let store = await open();
      expect(await listBackups(t.dir)).toEqual([]);
      await store.setStatus(defaultTask(task()), dept(), '进行中', '第一天', coordinatorActor);
      await store.close();
      for (let day = 0; day < 20; day++) {
        store = await open(); // a daily restart stands in for the hourly check
        await store.close();
        clock.advance(12 * 3_600_000);
        store = await open(); // twice a day: still one backup per day
        await store.close();
        clock.advance(12 * 3_600_000);
      }
      const daily = (await listBackups(t.dir)).filter((b) => b.reason === 'daily');
      expect(daily).toHaveLength(14);
      expect(daily[0].at.toISOString()).toBe('2026-12-20T00:00:00.000Z');
      expect(JSON.parse(await readFile(daily[0].file, 'utf8')).progress[`default:${task()}|${dept()}`].note).toBe('第一天');
    } finally {
      await t.cleanup();
    }
  });

  it('a damaged state.json stops start-up with one line naming the newest good backup (a damaged newer one is passed over)', async () => {
    const t = await tempDir();
    try {
      const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false, clock: manualClock('2026-12-01T08:00:00Z').now });
      await store.setStatus(defaultTask(task()), dept(), '已完成', '备份里的', coordinatorActor);
      const good = await store.backup('manual');
      await store.close();
      await writeFile(path.join(t.dir, 'backups', 'state-20261202T080000000Z-daily.json'), '{"progress":');
      await writeFile(path.join(t.dir, STATE_FILE), '{"schemaVersion":1,"progr');
      const err = await openStore({ dir: t.dir, loaded: plan() }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/不是有效的 JSON.*拒绝启动.*最新的完好备份：.*npm run state -- restore/);
      expect(message).toContain(good);

      // The operator restores it; the damaged file is kept aside.
      const restored = await cli(['restore', good], t.dir);
      expect(restored.code).toBe(0);
      const after = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
      expect(after.status(defaultTask(task()), dept())?.note).toBe('备份里的');
      await after.close();
      const names = await readdir(path.join(t.dir, 'backups'));
      expect(names.some((n) => /pre-restore\.json$/.test(n))).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('npm run state -- backup works while the bot runs (journal included); restore is refused until it stops; check reports the journal and backups', async () => {
    const t = await tempDir();
    try {
      const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
      await store.setStatus(defaultTask(task()), dept(), '进行中', '只在日志里', coordinatorActor);
      const b = await cli(['backup'], t.dir);
      expect(b.code).toBe(0);
      const file = /已备份到 (\S+)/.exec(b.text)![1];
      expect(JSON.parse(await readFile(file, 'utf8')).progress[`default:${task()}|${dept()}`].note).toBe('只在日志里');

      await expect(cli(['restore', file], t.dir)).rejects.toThrow(/正被另一个督办助手进程使用.*恢复前请先停止服务器/);
      const check = await cli(['check'], t.dir);
      expect(check.text).toMatch(/日志 state\.journal：1 条待合并的记录/);
      expect(check.text).toMatch(/锁：进程 \d+（正在运行）/);
      expect(check.code).toBe(0);

      await store.setStatus(defaultTask(task()), dept(), '已完成', '备份之后', coordinatorActor);
      await store.close();
      expect((await cli(['restore', file], t.dir)).code).toBe(0);
      const after = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
      expect(after.status(defaultTask(task()), dept())?.note).toBe('只在日志里');
      await after.close();

      // A flipped byte in the journal shows up in check.
      const s2 = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false, lock: false });
      await s2.setStatus(defaultTask(task()), dept(), '已完成', '再改一次', coordinatorActor);
      const j = path.join(t.dir, JOURNAL_FILE);
      const buf = await readFile(j);
      buf[buf.length - 10] ^= 0x01;
      await writeFile(j, buf);
      const bad = await cli(['check'], t.dir);
      expect(bad.code).toBe(1);
      expect(bad.text).toMatch(/1 条损坏（第 1 行/);
    } finally {
      await t.cleanup();
    }
  });
});
