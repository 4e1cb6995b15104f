/**
 * Typed readers for environment variables. Each throws ConfigError naming the variable,
 * so start-up can stop with one clear line.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    super(`配置错误 ${variable}: ${expected}`);
  }
}

export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

export function optionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function string(env: Env, name: string, fallback?: string): string {
  const v = raw(env, name) ?? fallback;
  if (v === undefined) throw new ConfigError(name, '必须设置');
  return v;
}

export function integer(env: Env, name: string, fallback: number, range: [number, number] = [0, Number.MAX_SAFE_INTEGER]): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < range[0] || n > range[1]) {
    throw new ConfigError(name, `应为 ${range[0]}–${range[1]} 之间的整数，实际为「${v}」`);
  }
  return n;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `应为 true 或 false，实际为「${v}」`);
}

export function url(env: Env, name: string, fallback?: string): string | undefined {
  const v = raw(env, name) ?? fallback;
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) throw new Error();
    return v.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `应为 http(s):// 或 ws(s):// 开头的网址，实际为「${v}」`);
  }
}

export function list(env: Env, name: string): string[] {
  return (raw(env, name) ?? '').split(/[,，\s]+/).filter(Boolean);
}

/** All of a group of variables, or none: a half-configured channel is a config error. */
export function allOrNone(env: Env, names: string[]): boolean {
  const set = names.filter((n) => raw(env, n) !== undefined);
  if (set.length === 0) return false;
  const missing = names.find((n) => raw(env, n) === undefined);
  if (missing) throw new ConfigError(missing, `设置了 ${set.join('、')} 时也必须设置`);
  return true;
}
