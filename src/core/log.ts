import { pino, type Logger } from 'pino';

/** Secrets never reach the log: these keys are redacted wherever they appear. */
const REDACT = [
  '*.secret', '*.token', '*.password', '*.aesKey', '*.key', '*.webhookKey', '*.access_token',
  'secret', 'token', 'password', 'aesKey', 'key', 'access_token',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** The process-wide logger; tests set LOG_LEVEL=silent. */
export const log = createLogger();
export type { Logger };
