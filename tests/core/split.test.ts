import { describe, expect, it } from 'vitest';
import { measure, splitText } from '../../src/core/split.js';

describe('long answers are split to fit each platform', () => {
  const list = Array.from({ length: 48 }, (_, i) => `第${i + 1}项 加强调解员队伍建设，提升协商调解能力`).join('\n');

  it('a WeCom text (2048 bytes) gets chunks on line breaks, each within the limit, nothing lost', () => {
    const chunks = splitText(list, { max: 2048, measure: 'bytes' });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(measure(c, 'bytes')).toBeLessThanOrEqual(2048);
    expect(chunks.join('\n')).toBe(list);
    for (const c of chunks) expect(c.startsWith('第')).toBe(true);
  });

  it('a short answer stays whole', () => {
    expect(splitText('第48项', { max: 4096, measure: 'chars' })).toEqual(['第48项']);
  });

  it('one line longer than the limit is cut between characters, never inside one', () => {
    const line = '调解😀'.repeat(100);
    const chunks = splitText(line, { max: 50, measure: 'bytes' });
    for (const c of chunks) expect(measure(c, 'bytes')).toBeLessThanOrEqual(50);
    expect(chunks.join('')).toBe(line);
    expect(chunks.join('')).not.toContain('\uFFFD');
  });

  it('Telegram counts characters, not bytes', () => {
    const text = '调'.repeat(4096);
    expect(splitText(text, { max: 4096, measure: 'chars' })).toHaveLength(1);
    // 3 bytes a character: 1,365 characters a chunk.
    expect(splitText(text, { max: 4096, measure: 'bytes' })).toHaveLength(4);
  });
});
