import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { PROJECT_ROOT } from '../../core/paths.js';
import { log } from '../../core/log.js';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'src/state/pg/migrations');
/** Advisory lock keys (one namespace for the project). */
export const LOCKS = {
  migrate: 7_301_401,
  write: 7_301_402,
  leader: 7_301_403,
  /** With an instance's number (two-key form): held by that instance while it runs (its claims are alive). */
  instance: 7_301_404,
} as const;

/**
 * Bring the database schema up to date: the numbered files in migrations/, each once, in order, each
 * in its own transaction. Two instances starting together take turns on an advisory lock, so the
 * second finds the work done.
 */
export async function migrateDatabase(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCKS.migrate]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...files.map((f) => parseInt(f, 10)));
    if (newest > known) throw new Error(`数据库的结构版本 ${newest} 比本程序支持的 ${known} 新，请升级督办助手后再启动`);
    for (const file of files) {
      const version = parseInt(file, 10);
      if (done.has(version)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`数据库迁移 ${file} 失败：${(err as Error).message}`);
      }
      applied.push(version);
      log.info({ migration: file }, '数据库结构已升级');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrate]).catch(() => undefined);
    client.release();
  }
  return applied;
}
