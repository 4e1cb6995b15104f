const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Parse a Chinese numeral such as 四十八, 十二, 二十, 一百零三, or digits said one by one (一五 → 15, 二〇二二 → 2022, as
 * people read numbers out); undefined when it is not one.
 */
export function parseChineseNumber(text: string): number | undefined {
  if (!text || ![...text].every((ch) => ch in DIGITS || ch in UNITS)) return undefined;
  if (text.length > 1 && ![...text].some((ch) => ch in UNITS)) return Number([...text].map((ch) => DIGITS[ch]).join(''));
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch];
    } else {
      total += (digit || 1) * UNITS[ch];
      digit = 0;
    }
  }
  return total + digit;
}

const ORDER = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 20 → 二十 (enough for section ordinals). */
export function toChineseNumber(n: number): string {
  if (n < 10) return ORDER[n] || '零';
  if (n < 20) return `十${ORDER[n % 10]}`;
  if (n < 100) return `${ORDER[Math.floor(n / 10)]}十${ORDER[n % 10]}`;
  return String(n);
}
