import { cut } from './tokenize.js';

/**
 * Pieces of text a unit's name may be found in (departments.ts): where words begin, where a piece occurs, which units
 * the pieces of names point to, one character apart.
 */

/** The code point at text[k] (a pair cut at `end` read as its first unit, as `for of` on text[start, end) reads it). */
export function codePointIn(text: string, k: number, end: number): number {
  const c = text.charCodeAt(k);
  if (c >= 0xd800 && c <= 0xdbff && k + 1 < end) {
    const next = text.charCodeAt(k + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return (c - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
  }
  return c;
}

/**
 * Each piece of the names (`pieceOf(form, n)`, n from 2 to `max`, shorter than the name) → the units named by the
 * names that have it, in their order, when those all name the same units; null when they name different ones.
 */
export function unitsByPiece(
  forms: ReadonlyArray<{ form: string; names: string[] }>,
  max: number,
  pieceOf: (form: string, n: number) => string,
): Map<string, string[] | null> {
  const found = new Map<string, { names: string[]; joined: string; one: boolean }>();
  for (const f of forms) {
    for (let n = 2; n <= Math.min(max, f.form.length - 1); n++) {
      const piece = pieceOf(f.form, n);
      const had = found.get(piece);
      if (!had) found.set(piece, { names: f.names, joined: f.names.join(), one: true });
      else if (had.joined !== f.names.join()) had.one = false;
    }
  }
  return new Map([...found].map(([piece, u]) => [piece, u.one ? u.names : null]));
}

/** Index of the only differing character, or -1 when not exactly one differs. */
export function diffAt(a: string, b: string): number {
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (at >= 0) return -1;
    at = i;
  }
  return at;
}

/** Where each word of a cut text begins. */
export function starts(words: string[]): Set<number> {
  const out = new Set<number>();
  let at = 0;
  for (const w of words) {
    out.add(at);
    at += w.length;
  }
  return out;
}

/** Every index where `piece` occurs in `text`. */
export function occurrences(text: string, piece: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) out.push(at);
  return out;
}

/**
 * The text uses the piece as (part of) a word — 人社 of 人社部门, 卫生 of 医疗卫生 — and not only across two words, as
 * 残疾人社区 has 人社 (残疾人 | 社区).
 */
export function usedAsWord(text: string, piece: string): boolean {
  return occurrences(text, piece).some((at) => {
    const from = Math.max(0, at - 10);
    let pos = from;
    for (const w of cut(text.slice(from, at + piece.length + 10))) {
      const end = pos + w.length;
      // the word the piece starts in: it starts there, or holds the whole piece
      if (end > at) return pos === at || end >= at + piece.length;
      pos = end;
    }
    return false;
  });
}
