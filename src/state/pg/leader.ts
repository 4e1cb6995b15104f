import pg from 'pg';
import { log as rootLog, type Logger } from '../../core/log.js';
import { LOCKS } from './migrate.js';

export interface LeadershipOptions {
  url: string;
  /** How often a follower tries to take the lock (default 3 s: a dead leader is replaced within 15 s). */
  pollMs?: number;
  /** Became the leader: start what must run once (reminder planner, long polling, long connections). */
  onElected: () => Promise<void>;
  /**
   * The lock's connection broke while leading: another instance may be leader already. Default: stop
   * the process at once (its supervisor restarts it as a follower), so nothing runs twice.
   */
  onLost?: (err: Error) => void;
  log?: Logger;
}

export interface Leadership {
  readonly isLeader: boolean;
  /** Give the lock up (clean shutdown): another instance takes over at its next try. */
  stop(): Promise<void>;
}

/**
 * One leader among the instances sharing a database: the holder of a session-level advisory lock on a
 * dedicated connection. The lock goes when that connection goes — the process exits or is killed (the
 * kernel closes the socket), or, for a machine that vanished, when the server's TCP keepalive gives up
 * (set short on this connection: about 11 s). Followers try pg_try_advisory_lock every few seconds.
 */
export async function startLeadership(opts: LeadershipOptions): Promise<Leadership> {
  const log = opts.log ?? rootLog;
  const pollMs = opts.pollMs ?? 3000;
  let leader = false;
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let trying: Promise<void> | undefined;

  const lost =
    opts.onLost ??
    ((err: Error) => {
      log.fatal({ err: err.message }, '与数据库的领导者连接中断，可能已有其他实例接替；为避免重复发送提醒立即退出');
      process.exit(1);
    });

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: opts.url, keepAlive: true, application_name: 'duban-leader' });
    c.on('error', (err) => {
      if (stopped) return;
      if (client === c) client = undefined;
      if (leader) {
        leader = false;
        lost(err);
      }
    });
    await c.connect();
    // The server notices a vanished leader machine after 5 + 3 × 2 s of silence.
    await c.query("SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3");
    return c;
  }

  async function attempt(): Promise<void> {
    if (stopped || leader) return;
    try {
      client ??= await connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCKS.leader]);
      if (!rows[0].ok || stopped) return;
      leader = true;
      clearInterval(timer);
      log.info('本实例成为领导者：负责定时提醒、Telegram 长轮询和企业微信长连接');
      await opts.onElected();
    } catch (err) {
      if (leader) throw err;
      log.warn({ err: (err as Error).message }, '竞选领导者失败，稍后重试');
      await client?.end().catch(() => undefined);
      client = undefined;
    }
  }

  const tick = () => {
    if (!trying) trying = attempt().catch((err: Error) => lost(err)).finally(() => (trying = undefined));
  };
  await attempt();
  if (!leader && !stopped) {
    timer = setInterval(tick, pollMs);
    timer.unref();
  }

  return {
    get isLeader() {
      return leader;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await trying?.catch(() => undefined);
      leader = false;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
