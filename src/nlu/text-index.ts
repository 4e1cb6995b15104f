/**
 * `includes` on a long text that does not change (a plan's task texts), for the many short pieces a question is
 * cut into: where each two-code-unit piece of the text starts, made once, so that a piece is looked for only where
 * its first two code units are, not by a scan of the whole plan.
 */
export class TextIndex {
  private readonly starts = new Map<string, number[]>();

  constructor(readonly text: string) {
    for (let i = 0; i + 2 <= text.length; i++) {
      const pair = text.slice(i, i + 2);
      const list = this.starts.get(pair);
      if (list) list.push(i);
      else this.starts.set(pair, [i]);
    }
  }

  /** The same as `text.includes(piece)`. */
  includes(piece: string): boolean {
    if (piece.length < 2) return this.text.includes(piece);
    const starts = this.starts.get(piece.slice(0, 2));
    if (!starts) return false;
    if (piece.length === 2) return true;
    for (let k = 0; k < starts.length; k++) if (this.text.startsWith(piece, starts[k])) return true;
    return false;
  }
}
