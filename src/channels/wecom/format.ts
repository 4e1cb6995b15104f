/** Text helpers shared by the WeCom ways in: mention stripping and markdown. */
import type { SizeLimit } from '../../core/types.js';
import { measure } from '../../core/split.js';

/** "@督办助手 谁负责…" → "谁负责…": a leading @mention (or the configured bot name) is removed. */
export function stripMention(text: string, botName?: string): string {
  let t = text.replace(/\u2005/g, ' ').trim();
  if (botName) {
    const at = `@${botName}`;
    if (t.startsWith(at)) t = t.slice(at.length);
    t = t.split(at).map((s, i, all) => (i === 0 ? s.replace(/[ \t]+$/, '') : i === all.length ? s : s.replace(/^[ \t]+/, ''))).join(' ');
  }
  t = t.replace(/^(?:@\S+\s+)+/, '').replace(/^@\S+$/, '');
  return t.trim();
}

/** Plain reply text → WeCom markdown: 【…】 headings bold, markdown specials in ordinary text left alone. */
export function toMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)(【[^】\n]{1,40}】)/, '$1**$2**'))
    .join('\n');
}

/** Markdown if it fits the byte limit, else the plain text. */
export function markdownWithin(text: string, limit: SizeLimit): string {
  const md = toMarkdown(text);
  return measure(md, limit.measure) <= limit.max ? md : text;
}
