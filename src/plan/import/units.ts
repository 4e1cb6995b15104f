import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../../core/paths.js';
import type { DepartmentRegistry } from '../departments.js';
import type { Department } from '../types.js';

/** General naming knowledge (data/unit-compounds.json, data/unit-abbreviations.json), not one plan's units. */
export interface UnitLexicon {
  /** Division words that complete the unit before them (各区、县级市). */
  fragments: string[];
  /** Organs every level has, which a division word may carry (各区、县级市政府). */
  organs: string[];
  /** Full wording → short wording, longest first. */
  abbreviations: Array<[string, string]>;
}

export function loadUnitLexicon(dir = DATA_ROOT): UnitLexicon {
  const compounds = JSON.parse(readFileSync(path.join(dir, 'unit-compounds.json'), 'utf8')) as { fragments: string[]; organs?: string[] };
  const abbr = JSON.parse(readFileSync(path.join(dir, 'unit-abbreviations.json'), 'utf8')) as { abbreviations: Record<string, string> };
  return {
    fragments: [...compounds.fragments].sort((a, b) => b.length - a.length),
    organs: [...(compounds.organs ?? [])].sort((a, b) => b.length - a.length),
    abbreviations: Object.entries(abbr.abbreviations).sort((a, b) => b[0].length - a[0].length),
  };
}

const OPEN = '（(【[';
const CLOSE = '）)】]';
const SEPARATOR = /[、，,；;／/\n\s\u3000]/;

/**
 * One units cell → the units it lists, as printed. Splits on 、，,；; and line breaks (not inside brackets:
 * 各县（市、区）); a piece that is only a division word (县级市) completes the piece before it when that
 * is no known unit either (各区、县级市 is one unit), also with the organ of that level after it when the list
 * opened with 各 (各区、县级市政府). A trailing 等 (等部门, 等有关单位) is dropped.
 */
export function splitUnits(cell: string, isKnown: (name: string) => boolean, lexicon: UnitLexicon): string[] {
  const pieces: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of cell) {
    if (OPEN.includes(ch)) depth++;
    if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && SEPARATOR.test(ch)) {
      if (current.trim()) pieces.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) pieces.push(current.trim());
  const units: string[] = [];
  for (const raw of pieces) {
    // 市监察局等部门 names 市监察局 (and others unnamed)
    const piece = raw.length > 2 ? raw.replace(/(?<=..)等(?:有关|相关|其他)?(?:部门|单位|机构)?$/, '') : raw;
    const prev = units.at(-1);
    const organ = prev?.startsWith('各') ? lexicon.organs.find((o) => piece.length > o.length && piece.endsWith(o)) : undefined;
    const division = organ ? piece.slice(0, -organ.length) : piece;
    const isFragment = lexicon.fragments.includes(division) && !isKnown(piece);
    if (prev && isFragment && !isKnown(prev) && lexicon.fragments.some((f) => prev.endsWith(f))) units[units.length - 1] = `${prev}、${piece}`;
    else units.push(piece);
  }
  return units;
}

/** Why a listed unit does not look like a unit name, or undefined when it does. */
export function oddUnit(name: string): string | undefined {
  if (name.length > 30) return `「${name.slice(0, 12)}…」太长，不像单位名称`;
  if (/[。：:！？?!]/.test(name)) return `「${name}」含有标点，不像单位名称`;
  if (/^[\d\s.．-]+$/.test(name)) return `「${name}」是数字，不像单位名称`;
  return undefined;
}

function abbreviate(body: string, lexicon: UnitLexicon): string {
  let out = body;
  for (const [full, short] of lexicon.abbreviations) out = out.split(full).join(short);
  return out;
}

/** The body of a unit name with one of its short words written out in full (发改委 → 发展和改革委员会, 发展改革委员会 …). */
function expansions(body: string, lexicon: UnitLexicon): string[] {
  const out: string[] = [];
  // one full wording per organ word (办 is written out as 办公室, not also as 办公厅: the printed name has the right one)
  const written = new Set<string>();
  for (const [full, short] of lexicon.abbreviations) {
    if (short === full || !body.includes(short) || written.has(short)) continue;
    // a short word inside a longer one the name has (工商 in 工商联) is not written out on its own
    if (short.length > 1 && lexicon.abbreviations.some(([, other]) => other.length > short.length && other.includes(short) && body.includes(other))) continue;
    if (short.length === 1) written.add(short);
    // a one-character organ word (委, 办) inside a longer one (常委会, 办公) is not written out: no 常委员会会
    const at = short.length === 1 ? body.search(new RegExp(`${short}(?![会员公室])`)) : body.indexOf(short);
    if (at >= 0) out.push(body.slice(0, at) + full + body.slice(at + short.length));
  }
  return out.filter((f) => f.length <= 20);
}

/** What is left of a name without its level when that names no unit of its own (办公厅 of 市委办公厅). */
const GENERIC_BODY = /^(?:办公厅|办公室|办|研究室|秘书处|厅)$/;

/** Words a unit name may start with that begin with a level character but are no level (市场监督管理局, 市政园林局, 区域…;
 *  but 市政务办 and 市政法委 are 市 + 政务办, 政法委). */
const NOT_A_LEVEL = /^(市场|市政(?!府|协|务|法)|市级|市直|市属|区域|区级|县域|县级|省级|省直|省属)/;

/**
 * A short name and aliases for a unit as printed, by general rules: drop 中共 and the place name
 * (中共广州市委组织部 → 市委组织部), shorten the wording (市人力资源和社会保障局 → 市人社局) and
 * also accept it without the level (人社局, 组织部). `place` is the place name dropped (广州), if any.
 */
export function deriveUnitNames(printed: string, lexicon: UnitLexicon, planLevels: readonly string[] = []): { name: string; aliases: string[]; place?: string } {
  const forms: string[] = [printed];
  let s = printed;
  if (s.startsWith('中共') && s.length > 4) forms.push((s = s.slice(2)));
  // The city or province (广州市…) goes; a district's or county's name stays: in a city's plan 黄埔区人民政府 is one district.
  // (not a level the plan prints on most of its units: 示范区 of 示范区市场监督管理局 is no place 示范区 of 市场…)
  const planLevel = planLevels.find((l) => s.startsWith(l) && s.length >= l.length + 2);
  const place = planLevel ? null : /^([^省市区县各]\S{1,2}?)(省|市)(\S{2,})$/.exec(s);
  if (place) forms.push((s = place[2] + place[3]));
  // the national level too: 国家发展改革委 is also 发改委, 国务院扶贫办 扶贫办
  // (and a level the plan prints on most of its units, 示范区 of 示范区财政金融局: planLevels)
  const level = planLevel ? [s, planLevel, s.slice(planLevel.length)] : NOT_A_LEVEL.test(s) ? null : /^(国家|国务院|省委|市委|区委|县委|省|市|区|县)(\S{2,})$/.exec(s);
  const shortened = level ? level[1] + abbreviate(level[2], lexicon) : abbreviate(s, lexicon);
  // (a name shortened to two characters is said so, but not printed so: 人民银行 stays, 人行 is its alias)
  const name = [...shortened].length <= 2 ? s : shortened;
  if (name !== shortened) forms.push(shortened);
  // without its level only when something is left that names it (组织部); 市委办公厅 without 市委 is any 办公厅
  if (level && !GENERIC_BODY.test(level[2])) forms.push(abbreviate(level[2], lexicon), level[2]);
  forms.push(s);
  // a zone's committee is called by its kind without the place (广州开发区管委会 → 开发区管委会, 开发区)
  const zone = /^[^省市区县各、，,\s]{2,3}((?:经济技术|高新技术产业)?开发区|高新区|新区|保税区|自贸区)(管委会|管理委员会)?$/.exec(s);
  if (zone) forms.push(zone[1] + (zone[2] ?? ''), zone[1]);
  // a district's or county's government is called by the district (黄埔区人民政府 → 黄埔区)
  const district = /^([^省市各、，,\s]{2,3}[区县])(?:人民)?政府$/.exec(s);
  if (district) forms.push(district[1]);
  // The formal wording people also write, whichever form was printed (市发改委 is also 市发展和改革委员会).
  const body = level ? abbreviate(level[2], lexicon) : shortened;
  for (const formal of expansions(body, lexicon)) forms.push(...(level ? [level[1] + formal] : []), ...(GENERIC_BODY.test(formal) ? [] : [formal]));
  const aliases = [...new Set(forms)].filter((f) => f !== name && f.length >= 2);
  return { name, aliases, ...(place && s !== printed.replace(/^中共/, '') ? { place: place[1] } : {}) };
}

export interface UnitProposal extends Department {
  /** Not registered for this plan before and not found in another plan. */
  isNew: boolean;
  /** The plan whose registry already had this unit (same full name). */
  knownFrom?: string;
}

export interface AliasClash {
  alias: string;
  /** The units the alias would stand for; it is left out of all of them. */
  units: string[];
}

export interface DepartmentProposal {
  departments: UnitProposal[];
  /** Printed unit → canonical names (a group of the previous registry gives several). */
  resolve: Map<string, string[]>;
  clashes: AliasClash[];
}

/**
 * The departments of a plan from the units it prints: those of the plan's previous version stay as
 * registered, units with the same full name in another plan keep that plan's short name, the others
 * get derived names. An alias that would stand for two units is reported and left out.
 */
export function proposeDepartments(
  printed: string[],
  options: { previous?: DepartmentRegistry; others?: Array<{ planId: string; registry: DepartmentRegistry }>; lexicon: UnitLexicon; title?: string },
): DepartmentProposal {
  const departments: UnitProposal[] = (options.previous?.departments ?? []).map((d) => ({ ...d, aliases: [...d.aliases], isNew: false }));
  const resolve = new Map<string, string[]>();
  const byName = (name: string) => departments.find((d) => d.name === name);
  const pending: string[] = [];
  for (const p of printed) {
    if (resolve.has(p)) continue;
    const known = options.previous?.resolveExact(p) ?? [];
    if (known.length) {
      resolve.set(p, known);
      continue;
    }
    const elsewhere = options.others?.flatMap(({ planId, registry }) => registry.departments.filter((d) => d.fullName === p || d.name === p).map((d) => ({ planId, d })))[0];
    if (elsewhere) {
      const existing = byName(elsewhere.d.name);
      if (!existing) departments.push({ ...elsewhere.d, aliases: [...elsewhere.d.aliases], isNew: false, knownFrom: elsewhere.planId });
      resolve.set(p, [elsewhere.d.name]);
      continue;
    }
    pending.push(p);
  }
  // 各有关区、县级市 is the same unit as 各区、县级市 when both are printed.
  const generalForm = (p: string) => /^各有关(.+)$/.exec(p)?.[1];
  const own = pending.filter((x) => !generalForm(x) || !printed.includes(`各${generalForm(x)}`));
  const levels = planLevels(own);
  const derived = new Map(own.map((p) => [p, deriveUnitNames(p, options.lexicon, levels)]));
  // A list prints the level once, on its first unit (示范区交通运输局、住房和城乡建设局): a unit printed without a level
  // that the plan also prints with one is that unit.
  const names = new Set([...derived.values()].map((d) => d.name));
  const levelOmitted = new Set<string>();
  for (const [p, d] of derived) {
    const leveled = [...levels, '区', '县', '市'].map((l) => l + d.name).filter((n) => names.has(n));
    if (leveled.length === 1) (d.name = leveled[0]), levelOmitted.add(p);
  }
  // Units of different places (广州市人社局, 深圳市人社局) are different units: they keep their place in the name.
  const places = new Map<string, Set<string>>();
  for (const d of derived.values()) if (d.place) places.set(d.name, (places.get(d.name) ?? new Set()).add(d.place));
  // The plan's place, opening its title and two of its units or more (济源 of 济源产城融合示范区…的通知, 济源海关,
  // 济源供电公司): those units are also called without it (海关, 供电公司).
  const place = titlePlace(own, options.title ?? '');
  // (not 办公厅 of 国务院办公厅: what is left must name the unit)
  for (const [p, d] of derived) {
    const rest = place && p.startsWith(place) ? p.slice(place.length) : '';
    if (rest && !GENERIC_BODY.test(rest) && !d.aliases.includes(rest)) d.aliases.push(rest);
  }
  // (a unit's full name is the one printed with its level; printed without it, it is an alias)
  for (const p of [...own].sort((a, b) => +levelOmitted.has(a) - +levelOmitted.has(b))) {
    const d = derived.get(p)!;
    const { name, aliases } = (places.get(d.name)?.size ?? 0) > 1 && d.place ? { name: d.place + d.name, aliases: d.aliases.filter((a) => a.includes(d.place!)) } : d;
    const same = byName(name);
    if (same) {
      for (const a of [p, ...aliases]) if (a !== same.name && !same.aliases.includes(a)) same.aliases.push(a);
    } else departments.push({ name, fullName: p, aliases, isNew: true });
    resolve.set(p, [name]);
  }
  for (const p of pending.filter((x) => !resolve.has(x))) {
    const target = resolve.get(`各${generalForm(p)}`)!;
    const d = byName(target[0])!;
    if (!d.aliases.includes(p)) d.aliases.push(p);
    resolve.set(p, target);
  }
  return { departments, resolve, clashes: dropClashingAliases(departments) };
}

/**
 * The longest opening of the title (two characters or more) that two printed units open with, leaving a name of two or
 * more — not a level (国务院, 国家: read as such by deriveUnitNames).
 */
function titlePlace(printed: string[], title: string): string | undefined {
  for (let n = Math.min(6, title.length); n >= 2; n--) {
    const opening = title.slice(0, n);
    if (!/^\p{Script=Han}+$/u.test(opening)) continue;
    if (printed.filter((p) => p.startsWith(opening) && p.length >= n + 2).length >= 2) return /^(?:国务院|国家)/.test(opening) ? undefined : opening;
  }
  return undefined;
}

/**
 * A level the plan prints on three of its units or more (示范区, 高新区, 恩阳区): ending as a district or county does. (A
 * city's or province's name before 市 or 省 is a place, dropped as such: 广州市人社局 is 市人社局 — and 州 ends 广州.)
 */
function planLevels(printed: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of printed) {
    const level = /^([^各、，,\s]{1,3}?[区县])(?=\S{3,})/.exec(p)?.[1];
    if (level && !NOT_A_LEVEL.test(p)) counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= 3).map(([level]) => level).sort((a, b) => b.length - a.length);
}

function dropClashingAliases(departments: UnitProposal[]): AliasClash[] {
  const owners = new Map<string, string[]>();
  for (const d of departments) {
    for (const form of new Set([d.name, d.fullName, ...d.aliases])) owners.set(form, [...(owners.get(form) ?? []), d.name]);
  }
  const clashes: AliasClash[] = [];
  for (const [form, names] of owners) {
    if (names.length < 2) continue;
    clashes.push({ alias: form, units: names });
    for (const d of departments) if (d.name !== form) d.aliases = d.aliases.filter((a) => a !== form);
  }
  return clashes;
}
