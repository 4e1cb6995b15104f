/** The bot's own names: what people write after @ in a group ("@督办助手 谁负责…"). */
export const BOT_NAMES = ['督办助手', '督办机器人', '督办小助手'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAMES = BOT_NAMES.map(escape).join('|');
const MENTION = new RegExp(`[@＠]\\s*(?:${NAMES})`, 'gu');
/** A greeting said with the name (Hi 督办助手，… / 督办助手你好，…): part of addressing the bot, not of the question. */
const HELLO = '(?:你好|您好|hi|hello|hey|嗨|哈喽)';
/** A polite word before the name said first (请问督办助手 …, 麻烦督办助手，…): part of addressing the bot too. */
const PLEASE = '(?:请问|烦请|麻烦|劳驾)';
/** The name said first without @, as one addresses a person: "督办助手，我们省那个示范区…", "Hi 督办助手，谁牵头…", "请问督办助手 …" */
const VOCATIVE = new RegExp(`^\\s*(?:${HELLO}[\\s,，!！~]*)?${PLEASE}?(?:${NAMES})\\s*(?:${HELLO})?\\s*[，,：:、！!\\s]+(?=\\S)`, 'iu');
/** …or last, set apart from the question: "国际交流那一节的条目列一下 督办助手", "这个谁负责，督办助手？" */
const CALLED_LAST = new RegExp(`(?<=\\S)[\\s,，、~]+(?:${NAMES})[\\s?？!！。.~]*$`, 'u');

/**
 * …or between two clauses, set apart on both sides: "有家企业想进综保区，督办助手 这块哪个部门牵头" — or after a clause mark or a
 * space, before what turns to the bot: "…先入区后检测，督办助手这块谁牵头", "外来工那块 督办助手帮忙列下", "异地监管 督办助手这个找谁"
 */
const TURNS_TO_BOT = '帮|给我|麻烦|请|这个|这块|那个';
const CALLED_WITHIN = new RegExp(`(?<=[，,。；;！!？?])\\s*(?:${NAMES})(?:[\\s，,：:、]+(?=\\S)|(?=${TURNS_TO_BOT}))|(?<=\\S\\s)\\s*(?:${NAMES})(?=${TURNS_TO_BOT})`, 'gu');

/**
 * "@督办助手 谁负责…", "谁负责… @督办助手", "领导问 @督办助手 …", "督办助手，谁负责…", "…列一下 督办助手", "…业务，督办助手 这块谁管" → the message without the mention,
 * wherever it stands, on every channel (a mention left in would be read as part of the question, or as a greeting).
 */
export function stripBotMention(text: string): string {
  return text.replace(MENTION, ' ').replace(VOCATIVE, '').replace(CALLED_LAST, '').replace(CALLED_WITHIN, '').replace(/[ \t]{2,}/g, ' ').trim();
}
