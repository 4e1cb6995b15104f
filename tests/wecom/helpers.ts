import express, { type Router } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot } from '../../src/core/bot.js';
import type { Message, Reply } from '../../src/core/types.js';

export async function listen(router: Router): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** A bot that echoes, records what it was asked, and can be slowed down. */
export function echoBot(opts: { delayMs?: number; text?: (m: Message) => string } = {}): Bot & { asked: Message[] } {
  const asked: Message[] = [];
  return {
    asked,
    async handle(m): Promise<Reply> {
      asked.push(m);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      return { text: opts.text ? opts.text(m) : `答：${m.text}`, intent: 'echo', tasks: [], departments: [] };
    },
  };
}

export const KEYS = {
  appToken: 'AppToken123',
  appAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  botToken: 'BotToken456',
  botAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The variables that point the self-built app (and, given a smart bot, its long connection) at a fake WeCom. */
export function fakeWecomEnv(
  fake: { url: string; wsUrl: string; corpId: string; corpSecret: string },
  bot?: { botId: string; secret: string },
): Record<string, string> {
  return {
    WECOM_API_BASE: fake.url,
    ...(bot ? { WECOM_BOT_ID: bot.botId, WECOM_BOT_SECRET: bot.secret, WECOM_BOT_WS_URL: fake.wsUrl } : {}),
    WECOM_CORP_ID: fake.corpId,
    WECOM_APP_AGENT_ID: '1000002',
    WECOM_APP_SECRET: fake.corpSecret,
    WECOM_APP_TOKEN: KEYS.appToken,
    WECOM_APP_AES_KEY: KEYS.appAesKey,
  };
}
