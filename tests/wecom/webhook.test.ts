/**
 * Group robot webhooks ('wecom-webhook') through the real reminders outbox sender and state store,
 * against the fake WeCom: pacing (≤ 20 per window per key), 45009 waited out, 93000 permanent,
 * 4096-byte markdown, configured bindings, and the key never logged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/env.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { openStore, type OutboxRow, type StateStore } from '../../src/state/store.js';
import { OutboxSender } from '../../src/reminders/sender.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createWecom, readWecomConfig, webhookChatId } from '../../src/channels/wecom/index.js';
import { startFakeWecom } from '../fakes/wecom-server.js';
import { echoBot } from './helpers.js';
import { maxInWindow } from '../helpers/pacing.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

let loaded: LoadedPlan;
beforeAll(() => {
  loaded = loadPlan();
});
const cleanups = cleanupsAfterEach();

const KEY_A = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const KEY_B = '11111111-2222-3333-4444-555555555555';
const WINDOW_MS = 400;

async function setup(opts: { fakePerWindow?: number; bindings?: string; windowMs?: number } = {}) {
  const windowMs = opts.windowMs ?? WINDOW_MS;
  const fake = await startFakeWecom({ webhookKeys: [KEY_A, KEY_B], webhookPerWindow: opts.fakePerWindow ?? 20, webhookWindowMs: windowMs });
  cleanups.push(() => fake.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'wecom-hook-'));
  const store = await openStore({ dir, loaded, lock: false, fsync: false });
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
  const config = readWecomConfig({
    WECOM_WEBHOOK_BASE: fake.url,
    WECOM_WEBHOOK_BINDINGS: opts.bindings ?? `总工会:${KEY_A},法院:${fake.url}/cgi-bin/webhook/send?key=${KEY_B},督办:bad-key-000000`,
  })!;
  config.webhook!.windowMs = windowMs;
  const wecom = createWecom({ config, bot: echoBot(), store, log });
  await wecom.start();
  cleanups.push(() => wecom.stop());
  const dead: Array<{ row: OutboxRow; error: string; permanent: boolean }> = [];
  const sender = new OutboxSender({
    store,
    config: defaultReminderConfig({ rateWindowMs: WINDOW_MS, retryBaseMs: 50, retryMaxMs: WINDOW_MS, maxAttempts: 8 }),
    clock: () => new Date(),
    onDead: async (row, error, permanent) => {
      dead.push({ row, error, permanent });
    },
    random: () => 0.5,
  });
  for (const ch of wecom.outbound) sender.register(ch);
  cleanups.push(() => sender.stop());
  return { fake, store, wecom, sender, dead, lines };
}

async function enqueue(store: StateStore, chatId: string, n: number, text = (i: number) => `【到期提醒】第${i}条：第48项 调解员培训 3 天后到期`) {
  for (let i = 1; i <= n; i++) {
    await store.enqueue({ key: `hook-${chatId}-${i}`, channel: 'wecom-webhook', chatId, department: '总工会', kind: 'notice', period: `p${i}`, text: text(i) });
  }
}

describe('wecom-webhook channel', () => {
  it('start() binds the configured groups in the store under a non-secret chat id', async () => {
    const { store, wecom, lines } = await setup();
    const zgh = store.bindingsForDepartment('总工会');
    expect(zgh).toHaveLength(1);
    expect(zgh[0]).toMatchObject({ channel: 'wecom-webhook', chatId: webhookChatId('总工会', KEY_A), role: 'department', active: true });
    expect(zgh[0].chatId).not.toContain(KEY_A);
    expect(store.bindingsForDepartment('法院')[0].chatId).toBe(webhookChatId('法院', KEY_B));
    expect(store.coordinatorBindings().some((b) => b.channel === 'wecom-webhook')).toBe(true);
    expect(wecom.outbound.find((c) => c.name === 'wecom-webhook')).toMatchObject({ perDestinationPerMinute: 20 });
    expect(lines.join('')).not.toContain(KEY_A);
  });

  it('an unknown department in WECOM_WEBHOOK_BINDINGS is a ConfigError at start', async () => {
    await expect(setup({ bindings: `不存在的部门:${KEY_A}` })).rejects.toThrow(ConfigError);
  });

  it('45 reminders to one group: all delivered, in order, none twice, never more than 20 in a window', async () => {
    const { fake, store, sender, dead } = await setup();
    const chatId = webhookChatId('总工会', KEY_A);
    await enqueue(store, chatId, 45);
    sender.start();
    await fake.waitFor(() => (fake.webhook.get(KEY_A)?.length ?? 0) >= 45, 20_000);
    expect(await sender.idle(5000)).toBe(true);
    const got = fake.webhook.get(KEY_A)!;
    expect(got).toHaveLength(45);
    const texts = got.map((r) => r.body.markdown.content as string);
    expect(new Set(texts).size).toBe(45);
    expect(texts.map((t) => Number(/第(\d+)条/.exec(t)![1]))).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(texts[0]).toMatch(/^\*\*【到期提醒】\*\*/);
    expect(maxInWindow(got.map((r) => r.at), WINDOW_MS)).toBeLessThanOrEqual(20);
    expect(store.outbox({ status: ['sent'] }).filter((r) => r.chatId === chatId)).toHaveLength(45);
    expect(dead).toHaveLength(0);
  });

  it('45009 from WeCom is waited out (retryAfterMs) and nothing is lost or doubled', async () => {
    const { fake, store, sender } = await setup({ fakePerWindow: 4 });
    const chatId = webhookChatId('总工会', KEY_A);
    await enqueue(store, chatId, 10);
    sender.start();
    await fake.waitFor(() => (fake.webhook.get(KEY_A)?.length ?? 0) >= 10, 20_000);
    await sender.idle(5000);
    const texts = fake.webhook.get(KEY_A)!.map((r) => r.body.markdown.content as string);
    expect(texts).toHaveLength(10);
    expect(new Set(texts).size).toBe(10);
    expect(fake.webhookRejected).toBeGreaterThan(0);
    expect(store.reminderLog().some((e) => e.event === 'retry' && /45009/.test(e.detail ?? ''))).toBe(true);
  });

  it('93000 (invalid key) is permanent: the row fails once and is reported, the key is never logged', async () => {
    const { fake, store, sender, dead, lines } = await setup();
    const chatId = webhookChatId('督办', 'bad-key-000000');
    await store.enqueue({ key: 'bad-1', channel: 'wecom-webhook', chatId, department: '', kind: 'notice', period: 'p', text: '测试' });
    sender.start();
    await sender.idle(5000);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ permanent: true, error: expect.stringContaining('93000') });
    expect(store.outboxRow('bad-1')?.status).toBe('failed');
    expect(fake.webhook.size).toBe(0);
    const all = lines.join('');
    expect(all).not.toContain('bad-key-000000');
    expect(all).not.toContain(KEY_A);
  });

  it('long reminders are split into markdown messages within 4096 bytes', async () => {
    const { fake, store, sender } = await setup();
    const chatId = webhookChatId('法院', KEY_B);
    const long = Array.from({ length: 200 }, (_, i) => `第${i + 1}项 某项任务的名称比较长，需要在期限前完成并报送材料`).join('\n');
    await enqueue(store, chatId, 1, () => long);
    sender.start();
    await sender.idle(10_000);
    const parts = fake.webhook.get(KEY_B)!.map((r) => r.body.markdown.content as string);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(long);
  });
});

describe('wecom-webhook limiter on its own', () => {
  it('45 sends at once: 20 accepted, the rest told how long to wait, none rejected by WeCom', async () => {
    // The real one-minute window: 20 sends one after another never outlast it, however busy the machine.
    const { fake, wecom } = await setup({ windowMs: 60_000 });
    const ch = wecom.outbound.find((c) => c.name === 'wecom-webhook')!;
    const chatId = webhookChatId('总工会', KEY_A);
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => ch.send(chatId, `直接 ${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ ok: false, permanent: false, retryAfterMs: expect.any(Number) });
    expect(fake.webhookRejected).toBe(0);
    expect(await ch.send('未配置@0000000000', 'x')).toMatchObject({ ok: false, permanent: true });
  });
});

describe('configured bindings across restarts', () => {
  it('a key removed from WECOM_WEBHOOK_BINDINGS is switched off, and back on when re-added', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wecom-hook-cfg-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const store = await openStore({ dir, loaded, lock: false, fsync: false });
    cleanups.push(() => store.close());
    const a = webhookChatId('总工会', KEY_A);
    for (const [bindings, active] of [[`总工会:${KEY_A},法院:${KEY_B}`, true], [`法院:${KEY_B}`, false], [`总工会:${KEY_A},法院:${KEY_B}`, true]] as const) {
      const wecom = createWecom({ config: readWecomConfig({ WECOM_WEBHOOK_BINDINGS: bindings })!, bot: echoBot(), store });
      await wecom.start();
      await wecom.stop();
      expect(store.bindingFor('wecom-webhook', a)?.active).toBe(active);
      expect(store.bindingFor('wecom-webhook', webhookChatId('法院', KEY_B))?.active).toBe(true);
    }
  });
});
