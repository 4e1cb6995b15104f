import { randomBytes } from 'node:crypto';
import { ConfigError, integer, list, optionalString, type Env } from '../core/env.js';
import { readImportLimits, type ImportLimits } from '../core/import-limits.js';

export { readImportLimits };

export interface DashboardConfig {
  /** The administrators' shared password. */
  password: string;
  /**
   * No DASHBOARD_PASSWORD was set: the password was generated for this run (printed at start)
   * and the dashboard answers loopback clients only.
   */
  generated: boolean;
  loopbackOnly: boolean;
  /** Names offered at sign-in; empty: any name may be typed (it is recorded in the audit history). */
  admins: string[];
  sessionHours: number;
  timeZone: string;
  /** Bounds on ledger and plan uploads (IMPORT_* variables). */
  imports: ImportLimits;
}

/** Read DASHBOARD_* variables; throws ConfigError naming the variable. */
export function readDashboardConfig(env: Env = process.env): DashboardConfig {
  const set = optionalString(env, 'DASHBOARD_PASSWORD');
  if (set !== undefined && set.length < 10) throw new ConfigError('DASHBOARD_PASSWORD', '至少 10 个字符');
  const admins = list(env, 'DASHBOARD_ADMINS');
  if (admins.some((a) => a.length > 32)) throw new ConfigError('DASHBOARD_ADMINS', '每个姓名不超过 32 个字符，用逗号分隔');
  const sessionHours = integer(env, 'DASHBOARD_SESSION_HOURS', 12, [1, 24 * 30]);
  const timeZone = optionalString(env, 'TZ_REMINDERS') ?? 'Asia/Shanghai';
  const password = set ?? randomBytes(9).toString('base64url');
  return { password, generated: set === undefined, loopbackOnly: set === undefined, admins, sessionHours, timeZone, imports: readImportLimits(env) };
}
