import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/env.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function err(env: Record<string, string>): ConfigError {
  try {
    readTelegramConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected ConfigError');
}

describe('readTelegramConfig', () => {
  it('is disabled without a token', () => {
    expect(readTelegramConfig({})).toBeUndefined();
  });

  it('defaults to long polling against api.telegram.org', () => {
    const c = readTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN })!;
    expect(c.apiRoot).toBe('https://api.telegram.org/');
    expect(c.webhook).toBeUndefined();
    expect(c.adminIds.size).toBe(0);
    expect(c.registerCommands).toBe(true);
    expect(c.dedupeTtlMs).toBe(48 * 3_600_000);
  });

  it('names the token variable without echoing the token', () => {
    const e = err({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret' });
    expect(e.variable).toBe('TELEGRAM_BOT_TOKEN');
    expect(e.message).not.toContain('not-a-token-secret');
  });

  it('requires the token when other Telegram variables are set', () => {
    expect(err({ TELEGRAM_ADMIN_IDS: '1' }).variable).toBe('TELEGRAM_BOT_TOKEN');
  });

  it('keeps a path prefix on the API root by adding the trailing slash', () => {
    expect(readTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://10.0.0.5:8081/tg' })!.apiRoot).toBe('http://10.0.0.5:8081/tg/');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'ftp://x' }).variable).toBe('TELEGRAM_API_ROOT');
  });

  it('webhook: https (or loopback), path, and a secret with the allowed charset', () => {
    const c = readTelegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123',
    })!;
    expect(c.webhook).toEqual({ url: 'https://bot.example.gov.cn/telegram/webhook', path: '/telegram/webhook', secret: 'abc_DEF-123' });
    expect(readTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1:3000/tg', TELEGRAM_WEBHOOK_SECRET: 's' })!.webhook?.path).toBe('/tg');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://bot.example.gov.cn/tg', TELEGRAM_WEBHOOK_SECRET: 's' }).variable).toBe('TELEGRAM_WEBHOOK_URL');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/tg' }).variable).toBe('TELEGRAM_WEBHOOK_SECRET');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/tg', TELEGRAM_WEBHOOK_SECRET: 'has space' }).variable).toBe('TELEGRAM_WEBHOOK_SECRET');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/tg', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(257) }).variable).toBe('TELEGRAM_WEBHOOK_SECRET');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/', TELEGRAM_WEBHOOK_SECRET: 's' }).variable).toBe('TELEGRAM_WEBHOOK_URL');
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 's' }).variable).toBe('TELEGRAM_WEBHOOK_URL');
  });

  it('a local webhook path can differ from the public one (reverse proxy)', () => {
    const c = readTelegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'https://gw.example.gov.cn/duban/tg',
      TELEGRAM_WEBHOOK_SECRET: 's',
      TELEGRAM_WEBHOOK_PATH: '/telegram/webhook',
    })!;
    expect(c.webhook?.path).toBe('/telegram/webhook');
  });

  it('admin ids are numeric, comma or space separated', () => {
    expect([...readTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_ADMIN_IDS: '111, 222，333' })!.adminIds]).toEqual(['111', '222', '333']);
    expect(err({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_ADMIN_IDS: '111,@boss' }).variable).toBe('TELEGRAM_ADMIN_IDS');
  });
});
