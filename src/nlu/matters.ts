/**
 * Several matters asked about each (调解员培训和支付令分别谁负责, 维修和再制造这两条分别是谁牵头): the matters named before
 * the words asking who of each, joined by words the segmenter cuts as such (协商和解 stays one word). General Chinese.
 */
import { cut } from './tokenize.js';

/** Asking who, of each of several matters: 分别谁负责, 分别是哪个部门, 各由谁, 分别找谁. */
const EACH_ASKED = /(?:分别|各自)(?:是|由|归|找|问)?(?:谁|哪)|各(?:由|归)(?:谁|哪)/;
/** Words joining matters, as the segmenter cuts them (and the marks between them). */
const MATTER_JOINS = /^(?:和|与|及|以及|还有|跟|、|,|，|;|；)$/;
/** Words around a matter that are not it: 这两条, 这两块, 的事, 方面 … */
const MATTER_FILLER = /(?:这|那)?(?:两|几|三)(?:条|项|块|个|件|方面)|(?:这|那)(?:些|块|条|项)|的事(?:情)?|方面|工作|都|也|是/gu;

/** The matters (two characters or more each), or undefined when the question does not ask who of each. */
export function mattersAskedEach(normalized: string): string[] | undefined {
  const at = EACH_ASKED.exec(normalized)?.index;
  if (at === undefined) return undefined;
  const matters: string[] = [];
  let piece = '';
  for (const w of cut(normalized.slice(0, at))) {
    if (MATTER_JOINS.test(w)) {
      matters.push(piece);
      piece = '';
    } else piece += w;
  }
  matters.push(piece);
  return matters.map((m) => m.replace(MATTER_FILLER, '')).filter((m) => /\p{Script=Han}{2}/u.test(m));
}
