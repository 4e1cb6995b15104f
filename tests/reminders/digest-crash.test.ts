/**
 * The bot killed (SIGKILL) 15 times during its Monday digest run, reminders going to WeCom group
 * robots at a loopback fake that the test answers one request at a time (no wall-clock guesses).
 * Half the kills land while requests are on the wire, half between the robot's answer and the sent mark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { webhookChatId } from '../../src/channels/wecom/config.js';
import { openStore } from '../../src/state/store.js';
import { plan, tempDir } from '../state/helpers.js';

const CHILD = path.resolve(import.meta.dirname, 'fixtures/digest-server.ts');
const MONDAY = '2026-12-07T09:40:00+08:00';

interface Request {
  key: string;
  content: string;
  /** Kills before this request arrived. */
  epoch: number;
  answer(body: object, then?: () => void): void;
  /** ok/error: answered so; cut: on the wire at a kill (counted as delivered, the worst case); timeout: the bot gave up waiting (not delivered). */
  outcome?: 'ok' | 'error' | 'cut' | 'timeout';
}

/** A WeCom group-robot endpoint whose every request waits until the test answers it. */
async function heldWebhook() {
  const requests: Request[] = [];
  const waiters: Array<() => void> = [];
  let epoch = 0;
  let dying = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const key = new URL(req.url!, 'http://x').searchParams.get('key')!;
      const msg = JSON.parse(body) as { markdown?: { content: string }; text?: { content: string } };
      const r: Request = {
        key,
        content: msg.markdown?.content ?? msg.text?.content ?? '',
        epoch,
        answer(answer, then) {
          if (res.destroyed) return then?.();
          res.once('close', () => then?.());
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(answer));
        },
      };
      // The bot's HTTP client gave up (60 s here) while the process lives: a failed attempt, not a delivery.
      res.once('close', () => {
        if (!r.outcome && !dying) r.outcome = 'timeout';
      });
      requests.push(r);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    dying: () => (dying = true),
    killed: () => {
      for (const r of requests) if (!r.outcome) r.outcome = 'cut';
      epoch++;
      dying = false;
    },
    /** The next request not yet answered that matches. */
    async next(pred: (r: Request) => boolean): Promise<Request> {
      for (;;) {
        const r = requests.find((x) => !x.outcome && pred(x));
        if (r) return r;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

class Server {
  readonly child: ChildProcess;
  /** Chat ids of rows marked sent (on disk) in this run. */
  readonly sent: string[] = [];
  private waiters: Array<() => void> = [];
  ready = false;
  done = false;
  constructor(dir: string, base: string, bindings: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, base, bindings, MONDAY], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const m = /^@@ (ready|done|sent (\S+))$/.exec(line);
      if (!m) return;
      if (m[2]) this.sent.push(m[2]);
      if (m[1] === 'ready') this.ready = true;
      if (m[1] === 'done') this.done = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async until(cond: () => boolean): Promise<void> {
    while (!cond()) await new Promise<void>((r) => this.waiters.push(r));
  }
  kill(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

describe('the bot is killed 15 times during its Monday digest run', () => {
  it('every digest arrives, at most one repeat per group per kill, and a row interrupted 7 times still gets its full retry budget', async () => {
    const t = await tempDir();
    const hook = await heldWebhook();
    const depts = plan().registry.names;
    // Three robots per department: many groups, each with its own queue.
    const keys = depts.flatMap((d, i) => [0, 1, 2].map((j) => ({ dept: d, key: `0a1b2c3d-0000-4000-8000-${String(i * 3 + j).padStart(12, '0')}` })));
    const bindings = keys.map((k) => `${k.dept}:${k.key}`).join(',');
    const victim = keys[0].key; // its send is on the wire at each of the first 7 kills
    const isVictim = (r: Request) => r.key === victim;
    const chatOf = (key: string) => webhookChatId(keys.find((k) => k.key === key)!.dept, key);
    const victimChat = chatOf(victim);
    const ok = { errcode: 0, errmsg: 'ok' };
    let server: Server | undefined;
    try {
      for (let kill = 1; kill <= 15; kill++) {
        server = new Server(t.dir, hook.url, bindings);
        const s = server;
        await s.until(() => s.ready);
        if (kill <= 7) await hook.next(isVictim); // held, never answered: interrupted at this kill
        if (kill === 8) {
          // The interrupted row now meets a busy platform three times, then gets through.
          for (let i = 0; i < 4; i++) {
            const q = await hook.next(isVictim);
            q.outcome = i < 3 ? 'error' : 'ok';
            q.answer(i < 3 ? { errcode: -1, errmsg: 'system busy' } : ok);
          }
          await s.until(() => s.sent.includes(victimChat));
        }
        // One fresh delivery per run at least: answer a request and wait until its sent mark is on disk.
        const r = await hook.next((x) => !isVictim(x));
        r.outcome = 'ok';
        r.answer(ok);
        const chat = chatOf(r.key);
        await s.until(() => s.sent.includes(chat));
        if (kill % 2 === 0) {
          // Killed with requests on the wire.
          hook.dying();
          await s.kill();
        } else {
          // Killed the moment the robot has answered, before the sent mark can be written.
          const x = await hook.next((q) => !isVictim(q));
          x.outcome = 'ok';
          await new Promise<void>((resolve) =>
            x.answer(ok, () => {
              hook.dying();
              void s.kill().then(resolve);
            }),
          );
        }
        hook.killed();
      }
      // A last run, answered normally, to the end.
      const last = new Server(t.dir, hook.url, bindings);
      server = last;
      void (async () => {
        for (;;) {
          const r = await hook.next(() => true);
          r.outcome = 'ok';
          r.answer(ok);
        }
      })();
      await last.until(() => last.done);
      await last.kill();

      const store = await openStore({ dir: t.dir, loaded: plan(), readOnly: true });
      const rows = store.outbox({ channel: 'wecom-webhook' });
      expect(rows.length).toBeGreaterThanOrEqual(depts.length * 3);
      expect(rows.filter((r) => r.status !== 'sent').map((r) => `${r.chatId} ${r.status} ${r.attempts} ${r.lastError ?? ''}`)).toEqual([]);
      // Every digest arrived at every robot of its department.
      const delivered = hook.requests.filter((r) => r.outcome === 'ok' || r.outcome === 'cut');
      for (const k of keys) {
        const texts = delivered.filter((r) => r.key === k.key).map((r) => r.content);
        expect(texts.some((c) => c.includes('督办周报') && c.includes(k.dept)), k.dept).toBe(true);
        expect(rows.filter((r) => r.chatId === webhookChatId(k.dept, k.key)).length).toBe(new Set(texts).size);
      }
      // Repeats: a message delivered again after a kill; at most one per group per kill.
      const lastEpoch = new Map<string, number>();
      const repeats = new Map<string, number>();
      for (const r of delivered) {
        const id = `${r.key}\u0000${r.content}`;
        const e = lastEpoch.get(id);
        lastEpoch.set(id, r.epoch);
        if (e === undefined) continue;
        expect(r.epoch, 'a repeat only after a kill').toBeGreaterThan(e);
        // Caused by the kill that cut the previous copy short.
        const perKill = `${r.key}@${e}`;
        repeats.set(perKill, (repeats.get(perKill) ?? 0) + 1);
      }
      for (const [where, n] of repeats) expect(n, where).toBe(1);
      expect(repeats.size).toBeGreaterThan(0); // the kills did land mid-send
      // The victim: 7 interrupted sends cost nothing; only its real failures count (3 busy answers, and
      // any wait the bot gave up on a busy machine).
      const v = rows.find((r) => r.chatId === victimChat)!;
      const timeouts = hook.requests.filter((r) => r.key === victim && r.outcome === 'timeout').length;
      expect(v).toMatchObject({ status: 'sent', attempts: 3 + timeouts, interrupted: 7 });
    } finally {
      server?.child.kill('SIGKILL');
      hook.close();
      await t.cleanup();
    }
  }, 180_000);
});
