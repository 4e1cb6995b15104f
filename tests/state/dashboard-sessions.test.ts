import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, stopSharedPostgres } from '../helpers/postgres.js';
import { JOURNAL_FILE, STATE_FILE } from '../../src/state/store.js';
import { manualClock, withStore } from './helpers.js';

afterAll(stopSharedPostgres, 60_000);

describe.each(BACKENDS)('dashboard sessions, sign-in back-off and pending uploads live in the state (%s)', (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('a session survives a restart, expires on time, and its cookie value is not what is stored', async () => {
    const clock = manualClock('2026-12-01T02:00:00Z');
    const s = await withStore({ clock: clock.now }, backend);
    cleanup = s.cleanup;
    const session = await s.store.dashboardSessions.create('李四', 3600_000);
    const store = await s.reopen();
    expect(store.dashboardSessions.get(session.id)).toEqual(session);
    expect(store.dashboardSessions.get(`${session.id}x`)).toBeUndefined();
    if (backend === 'file') {
      await store.flush();
      const raw = await readFile(path.join(s.dir, STATE_FILE), 'utf8').catch(() => '');
      const journal = await readFile(path.join(s.dir, JOURNAL_FILE), 'utf8').catch(() => '');
      expect(raw + journal).toContain('李四');
      expect(raw + journal).not.toContain(session.id);
    }
    clock.advance(3600_000);
    expect(store.dashboardSessions.get(session.id)).toBeUndefined();
  });

  it('backs off after a few failed sign-ins, per address; a success clears it', async () => {
    const clock = manualClock('2026-12-01T02:00:00Z');
    const s = await withStore({ clock: clock.now }, backend);
    cleanup = s.cleanup;
    const t = s.store.dashboardSessions;
    expect(await t.loginFailed('a')).toBe(0);
    expect(await t.loginFailed('a')).toBe(0);
    expect(await t.loginFailed('a')).toBe(2000);
    expect(t.loginWait('b')).toBe(0);
    clock.advance(2000);
    expect(await t.loginFailed('a')).toBe(4000);
    const reopened = (await s.reopen()).dashboardSessions;
    expect(reopened.loginWait('a')).toBe(4000);
    await reopened.loginSucceeded('a');
    expect(reopened.loginWait('a')).toBe(0);
  });

  it('an upload kept for confirmation is taken once, only by its own session, and goes with a sign-out', async () => {
    const s = await withStore({}, backend);
    cleanup = s.cleanup;
    const t = s.store.dashboardSessions;
    const mine = await t.create('李四', 3600_000);
    const other = await t.create('张三', 3600_000);
    const id = await t.keepUpload(mine.id, { kind: 'ledger', changes: [{ taskId: 1 }] });
    expect(await t.takeUpload(other.id, id)).toBeUndefined();
    expect(await t.takeUpload(mine.id, id)).toEqual({ kind: 'ledger', changes: [{ taskId: 1 }] });
    expect(await t.takeUpload(mine.id, id)).toBeUndefined();
    // Five previews at most per session: the oldest goes first.
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await t.keepUpload(mine.id, { i }));
    expect(await t.takeUpload(mine.id, ids[0])).toBeUndefined();
    expect(await t.takeUpload(mine.id, ids[5])).toEqual({ i: 5 });
    await t.destroy(mine.id);
    expect(t.get(mine.id)).toBeUndefined();
    expect(Object.keys(s.store.data.uploads)).toHaveLength(0);
  });
});
