/**
 * A fixed list of words looked for in question after question (topics of other fields, out-of-scope cues): each word
 * is tried only where the text has its first code unit, not by one scan of the whole text per word of a long list.
 */
export class WordFinder {
  private readonly byFirst = new Map<number, number[]>();
  /** Per-text marks of the words found (reused: the finder is synchronous). */
  private readonly marks: Uint8Array;
  /** An empty word is in every text. */
  private readonly hasEmpty: boolean;

  constructor(readonly words: readonly string[]) {
    this.marks = new Uint8Array(words.length);
    this.hasEmpty = words.includes('');
    words.forEach((w, at) => {
      if (!w) return;
      const list = this.byFirst.get(w.charCodeAt(0));
      if (list) list.push(at);
      else this.byFirst.set(w.charCodeAt(0), [at]);
    });
  }

  /** The same as `words.some((w) => text.includes(w))`. */
  someIn(text: string): boolean {
    if (this.hasEmpty) return true;
    for (let i = 0; i < text.length; i++) {
      const list = this.byFirst.get(text.charCodeAt(i));
      if (list) for (let k = 0; k < list.length; k++) if (text.startsWith(this.words[list[k]], i)) return true;
    }
    return false;
  }

  /** The same as `words.filter((w) => text.includes(w))`: the words found, in the list's order. */
  allIn(text: string): string[] {
    const marks = this.marks;
    let found = 0;
    for (let i = 0; i < text.length; i++) {
      const list = this.byFirst.get(text.charCodeAt(i));
      if (!list) continue;
      for (let k = 0; k < list.length; k++) {
        const at = list[k];
        if (!marks[at] && text.startsWith(this.words[at], i)) {
          marks[at] = 1;
          found++;
        }
      }
    }
    if (!found && !this.hasEmpty) return [];
    const out: string[] = [];
    for (let at = 0; at < marks.length; at++) {
      if (marks[at] || !this.words[at]) out.push(this.words[at]);
      marks[at] = 0;
    }
    return out;
  }
}
