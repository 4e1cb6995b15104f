/** The bot's own names: what people write after @ in a group ("@督办助手 谁负责…"). */
export const BOT_NAMES = ['督办助手', '督办机器人', '督办小助手'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MENTION = new RegExp(`[@＠]\\s*(?:${BOT_NAMES.map(escape).join('|')})`, 'gu');

/**
 * "@督办助手 谁负责…", "谁负责… @督办助手", "领导问 @督办助手 …" → the message without the mention, wherever it
 * stands, on every channel (a mention left in would be read as part of the question, or as a greeting).
 */
export function stripBotMention(text: string): string {
  return text.replace(MENTION, ' ').replace(/[ \t]{2,}/g, ' ').trim();
}
