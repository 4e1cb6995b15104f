import type { Department, DepartmentGroup } from './types.js';

export interface DepartmentFile {
  version: number;
  coordinator: string;
  departments: Department[];
  groups?: DepartmentGroup[];
}

/** Canonical department names, their full names and aliases, loaded from data/departments.json. */
export class DepartmentRegistry {
  readonly departments: Department[];
  readonly groups: DepartmentGroup[];
  readonly coordinator: string;
  /** Every surface form (name, full name, alias, group name) → canonical names, longest first. */
  private readonly forms: Array<{ form: string; names: string[] }>;

  constructor(file: DepartmentFile) {
    this.departments = file.departments;
    this.groups = file.groups ?? [];
    this.coordinator = file.coordinator;
    const known = new Set(this.departments.map((d) => d.name));
    if (!known.has(this.coordinator)) throw new Error(`departments.json: coordinator「${this.coordinator}」不是已登记的部门`);
    const forms = new Map<string, string[]>();
    for (const d of this.departments) {
      for (const form of [d.name, d.fullName, ...d.aliases]) forms.set(form, [d.name]);
    }
    for (const g of this.groups) {
      for (const m of g.members) if (!known.has(m)) throw new Error(`departments.json: 组「${g.name}」的成员「${m}」未登记`);
      forms.set(g.name, [...g.members]);
    }
    this.forms = [...forms].map(([form, names]) => ({ form, names })).sort((a, b) => b.form.length - a.form.length);
  }

  get names(): string[] {
    return this.departments.map((d) => d.name);
  }

  get(name: string): Department | undefined {
    return this.departments.find((d) => d.name === name);
  }

  /** All surface forms with the canonical names they stand for, longest first (for lexicons and matching). */
  surfaceForms(): ReadonlyArray<{ form: string; names: string[] }> {
    return this.forms;
  }

  /** Resolve one exact name or alias; a group resolves to its members; unknown → []. */
  resolveExact(name: string): string[] {
    return this.forms.find((f) => f.form === name.trim())?.names ?? [];
  }

  /** The departments a text names and the text without those names ("那法院呢" → [法院], "那呢"). */
  splitMentions(text: string): { departments: string[]; rest: string } {
    const departments: string[] = [];
    let rest = text;
    for (const { form, names } of this.forms) {
      if (!rest.includes(form)) continue;
      rest = rest.split(form).join('');
      for (const n of names) if (!departments.includes(n)) departments.push(n);
    }
    return { departments, rest };
  }

  /** Departments mentioned anywhere in a text, longest forms first, without overlapping matches. */
  mentionedIn(text: string): string[] {
    const found: string[] = [];
    const taken = new Array<boolean>(text.length).fill(false);
    for (const { form, names } of this.forms) {
      let at = text.indexOf(form);
      while (at >= 0) {
        const span = [...Array(form.length).keys()].map((k) => at + k);
        if (!span.some((k) => taken[k])) {
          span.forEach((k) => (taken[k] = true));
          for (const n of names) if (!found.includes(n)) found.push(n);
        }
        at = text.indexOf(form, at + 1);
      }
    }
    return found;
  }

  /** Departments the text names as the actor of a sentence ("司法行政部门要…", "工会组织要…"). */
  actorsIn(text: string): string[] {
    const actors: string[] = [];
    for (const clause of text.split(/[。；;，,]/).map((c) => c.trim())) {
      const m = /^(.{1,16}?)(?:要|应当|应|可|负责|牵头|积极|充分|加强|会同)/.exec(clause);
      if (!m) continue;
      for (const n of this.mentionedIn(m[1])) if (!actors.includes(n)) actors.push(n);
    }
    return actors;
  }

  display(name: string): string {
    const d = this.get(name);
    return d && d.fullName !== name ? `${name}（${d.fullName}）` : name;
  }
}
