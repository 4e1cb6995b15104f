import type { OutboundChannel, SendResult } from '../core/types.js';
import { log } from '../core/log.js';

const KEEP = 200;

/** An OutboundChannel that writes reminders to the log (or any sink): everything runs without WeCom/Telegram. */
export function createConsoleChannel(
  options: { write?: (chatId: string, text: string) => void; perDestinationPerMinute?: number } = {},
): OutboundChannel & { sent: Array<{ chatId: string; text: string; at: Date }> } {
  const sent: Array<{ chatId: string; text: string; at: Date }> = [];
  let count = 0;
  const write = options.write ?? ((chatId: string, text: string) => log.info({ chatId, text }, 'console reminder'));
  return {
    name: 'console',
    limit: { max: 4000, measure: 'chars' },
    perDestinationPerMinute: options.perDestinationPerMinute ?? 60,
    sent,
    async send(chatId: string, text: string): Promise<SendResult> {
      sent.push({ chatId, text, at: new Date() });
      // Only the latest are kept: this channel runs for the life of the server.
      if (sent.length > KEEP) sent.splice(0, sent.length - KEEP);
      write(chatId, text);
      return { ok: true, remoteId: `console-${++count}` };
    },
  };
}
