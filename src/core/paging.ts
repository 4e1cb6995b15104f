/**
 * Long answers in pages: every page but the last ends with 「发送“更多”查看下一页（2/3）」, and a continued
 * page repeats the answer's first line (its heading) so it can be read on its own.
 */

/** A last page this short is kept on the page before it instead. */
const MIN_LAST_PAGE = 5;

export function paginate(text: string, pageLines: number): string[] {
  // every reply passes here and most are one page: counted before it is cut into lines
  if (lineCount(text, pageLines + MIN_LAST_PAGE) <= pageLines + MIN_LAST_PAGE) return [text];
  const lines = text.split('\n');
  const pages: string[] = [];
  for (let i = 0; i < lines.length; i += pageLines) {
    const rest = lines.length - (i + pageLines);
    const take = rest > 0 && rest < MIN_LAST_PAGE ? pageLines + rest : pageLines;
    pages.push(lines.slice(i, i + take).join('\n'));
    i += take - pageLines;
  }
  return pages;
}

/** Lines of a text (its line breaks + 1), counted up to `atMost + 1`. */
function lineCount(text: string, atMost: number): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at >= 0 && n <= atMost; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/** Page `index` (0-based) as sent: continued pages start with the heading, all but the last say how to go on. */
export function pageOf(pages: string[], index: number): string {
  const total = pages.length;
  const heading = headingOf(pages[0]);
  const body = index === 0 ? pages[0] : `${heading}（续，第${index + 1}/${total}页）\n${pages[index]}`;
  return index + 1 < total ? `${body}\n——\n发送“更多”查看下一页（${index + 2}/${total}）` : body;
}

/** The title of an answer: its first line ending in a colon (a list's heading), else its first line. */
function headingOf(page: string): string {
  const lines = page.split('\n').slice(0, 4);
  return lines.find((l) => /[:：]$/.test(l))?.replace(/[:：]$/, '') ?? lines[0];
}
