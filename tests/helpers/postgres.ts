/**
 * A throw-away PostgreSQL for tests: Debian's `postgresql` package, a cluster made with initdb in a temp
 * directory owned by the postgres user, listening on 127.0.0.1 only (free port, socket in the temp dir),
 * stopped and removed by `stop()`. One per test file; each test takes a fresh database from it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);
/** The server binaries of the newest PostgreSQL Debian installed (/usr/lib/postgresql/<major>/bin), or PG_BIN. */
function serverBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (!majors.length) throw new Error(`PostgreSQL server binaries not found under ${root}: apt-get install postgresql (see .ci/run) or set PG_BIN`);
  return path.join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

export interface TestPostgres {
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>;
  /** The server's admin URL (database postgres). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

async function asPostgres(cmd: string, args: string[]): Promise<void> {
  await run('runuser', ['-u', 'postgres', '--', path.join(serverBin(), cmd), ...args], { timeout: 120_000 });
}

let counter = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-pg-'));
  const { stdout } = await run('id', ['-u', 'postgres']);
  const uid = Number(stdout.trim());
  const { stdout: gidOut } = await run('id', ['-g', 'postgres']);
  await chown(dir, uid, Number(gidOut.trim()));
  const data = path.join(dir, 'data');
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await asPostgres('pg_ctl', [
        '-D', data, '-w', '-t', '60', '-l', path.join(dir, 'server.log'), 'start',
        '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB`,
      ]);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    port,
    async createDatabase() {
      const name = `t${process.pid}_${++counter}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<TestPostgres> | undefined;

/** One cluster for the whole test file, started on first use; stop it in afterAll with `stopSharedPostgres`. */
export function sharedPostgres(): Promise<TestPostgres> {
  return (shared ??= startPostgres());
}

export async function stopSharedPostgres(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (s) await (await s).stop();
}

/** The storage backends every storage test runs against. */
export const BACKENDS = ['file', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];
