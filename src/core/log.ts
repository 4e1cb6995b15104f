import { pino, type Logger } from 'pino';
import { prettyDestination } from './log-pretty.js';

/** Secrets never reach the log: these keys are redacted wherever they appear. */
const REDACT = [
  '*.secret', '*.token', '*.password', '*.aesKey', '*.key', '*.webhookKey', '*.access_token',
  'secret', 'token', 'password', 'aesKey', 'key', 'access_token',
];

/** LOG_FORMAT=json|pretty; by default readable lines at a terminal and JSON everywhere else. */
export function logFormat(env: NodeJS.ProcessEnv = process.env): 'json' | 'pretty' {
  const f = env.LOG_FORMAT?.trim().toLowerCase();
  if (f === 'json' || f === 'pretty') return f;
  return process.stdout.isTTY ? 'pretty' : 'json';
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', format = logFormat()): Logger {
  const options = { level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } };
  return format === 'pretty' ? pino(options, prettyDestination(process.stdout)) : pino(options);
}

/** The process-wide logger; tests set LOG_LEVEL=silent. */
export const log = createLogger();
export type { Logger };
