import { STATE_SECTIONS, type Change, type JournalRecord } from './journal.js';

/**
 * What the durable copy of the state looks like, section by section, so a change can be found (and
 * undone) without copying the state: map entries by identity, append-only arrays by length and last
 * element, single values as JSON. The journal and the PostgreSQL backend both write these diffs.
 */
type MapShadow = Map<string, unknown>;
type AppendShadow = { len: number; last: unknown };
type ValueShadow = { value: string };
export type Shadow = MapShadow | AppendShadow | ValueShadow;

export function get(obj: Record<string, unknown>, path: string[]): unknown {
  let o: unknown = obj;
  for (const k of path) o = o == null ? undefined : (o as Record<string, unknown>)[k];
  return o;
}

export function parentOf(obj: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] == null || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  return o;
}

export class SectionShadows {
  private readonly shadows = new Map<string, Shadow>();
  private readonly dirty = new Set<string>();

  constructor(private readonly data: () => Record<string, unknown>) {}

  /** Sections changed since the last diff. */
  markDirty(sections: readonly string[]): void {
    for (const s of sections) this.dirty.add(s);
  }

  /** The shadows of the state as it is now (become current with `adopt`). */
  capture(): Map<string, Shadow> {
    const data = this.data();
    const out = new Map<string, Shadow>();
    for (const s of STATE_SECTIONS) {
      const v = get(data, s.path);
      const k = s.path.join('.');
      if (s.kind === 'map') out.set(k, new Map(Object.entries((v as Record<string, unknown>) ?? {})));
      else if (s.kind === 'append') {
        const arr = (v as unknown[]) ?? [];
        out.set(k, { len: arr.length, last: arr[arr.length - 1] });
      } else out.set(k, { value: JSON.stringify(v) ?? 'undefined' });
    }
    return out;
  }

  adopt(next: Map<string, Shadow>): void {
    for (const [k, v] of next) this.shadows.set(k, v);
  }

  /** Changes marked so far are covered by a capture just taken. */
  clearDirty(): void {
    this.dirty.clear();
  }

  /** Memory is durable as it is now: everything becomes the shadow. */
  reset(): void {
    this.adopt(this.capture());
    this.dirty.clear();
  }

  /**
   * A record written by someone else was applied to memory (another instance on the same database):
   * it is durable, so the shadows of what it touched move with it.
   */
  absorb(record: JournalRecord): void {
    const data = this.data();
    for (const c of record.c) {
      const k = c.p.join('.');
      const v = get(data, c.p);
      if ('m' in c) {
        const shadow = this.shadows.get(k) as MapShadow;
        const obj = (v as Record<string, unknown>) ?? {};
        for (const key of Object.keys(c.m.s ?? {})) shadow.set(key, obj[key]);
        for (const key of c.m.d ?? []) shadow.delete(key);
      } else if ('a' in c) {
        const arr = (v as unknown[]) ?? [];
        this.shadows.set(k, { len: arr.length, last: arr[arr.length - 1] });
      } else this.shadows.set(k, { value: JSON.stringify(v) ?? 'undefined' });
    }
  }

  /**
   * The changes of the dirty sections against the shadows, and how to move the shadows forward once
   * they are durable (values captured now: later changes go into the next record).
   */
  diff(): { changes: Change[]; advance: () => void } {
    const data = this.data();
    const changes: Change[] = [];
    const steps: Array<() => void> = [];
    for (const s of STATE_SECTIONS) {
      if (!this.dirty.has(s.section)) continue;
      const k = s.path.join('.');
      const v = get(data, s.path);
      if (s.kind === 'map') {
        const shadow = this.shadows.get(k) as MapShadow;
        const obj = (v as Record<string, unknown>) ?? {};
        const set: Record<string, unknown> = {};
        const del: string[] = [];
        let n = 0;
        let kept = 0;
        for (const key of Object.keys(obj)) {
          const e = obj[key];
          if (shadow.has(key)) kept++;
          if (shadow.get(key) !== e || !shadow.has(key)) {
            set[key] = e;
            n++;
          }
        }
        if (shadow.size > kept) for (const key of shadow.keys()) if (!(key in obj)) del.push(key);
        if (n || del.length) {
          changes.push({ p: s.path, m: { ...(n ? { s: set } : {}), ...(del.length ? { d: del } : {}) } });
          steps.push(() => {
            for (const [key, e] of Object.entries(set)) shadow.set(key, e);
            for (const key of del) shadow.delete(key);
          });
        }
      } else if (s.kind === 'append') {
        const shadow = this.shadows.get(k) as AppendShadow;
        const arr = (v as unknown[]) ?? [];
        let change: Change | undefined;
        if (shadow.len === 0) {
          if (arr.length) change = { p: s.path, a: { push: arr.slice() } };
        } else {
          const i = arr.lastIndexOf(shadow.last);
          if (i < 0) change = { p: s.path, a: { all: arr.slice() } };
          else {
            const drop = shadow.len - 1 - i;
            const push = arr.slice(i + 1);
            if (drop > 0 || push.length) change = { p: s.path, a: { ...(drop > 0 ? { drop } : {}), ...(push.length ? { push } : {}) } };
          }
        }
        if (change) changes.push(change);
        const next = { len: arr.length, last: arr[arr.length - 1] };
        steps.push(() => this.shadows.set(k, next));
      } else {
        const json = JSON.stringify(v) ?? 'undefined';
        const shadow = this.shadows.get(k) as ValueShadow;
        if (shadow.value !== json) {
          changes.push({ p: s.path, v });
          steps.push(() => this.shadows.set(k, { value: json }));
        }
      }
    }
    this.dirty.clear();
    return { changes, advance: () => steps.forEach((f) => f()) };
  }

  /**
   * Every section in full (a change whose extent is unknown: entries may have been edited in place),
   * with the keys to delete that memory no longer has.
   */
  full(): { changes: Change[]; advance: () => void } {
    const data = this.data();
    const changes: Change[] = [];
    for (const s of STATE_SECTIONS) {
      const v = get(data, s.path);
      if (s.kind === 'map') {
        const obj = (v as Record<string, unknown>) ?? {};
        const shadow = this.shadows.get(s.path.join('.')) as MapShadow;
        const del = [...shadow.keys()].filter((k) => !(k in obj));
        changes.push({ p: s.path, m: { s: { ...obj }, ...(del.length ? { d: del } : {}) } });
      } else if (s.kind === 'append') changes.push({ p: s.path, a: { all: ((v as unknown[]) ?? []).slice() } });
      else if (v !== undefined || (this.shadows.get(s.path.join('.')) as ValueShadow).value !== 'undefined') changes.push({ p: s.path, v: v ?? null });
    }
    const next = this.capture();
    this.dirty.clear();
    return { changes, advance: () => this.adopt(next) };
  }

  /**
   * Put memory back to the durable state (the shadows): every change not yet durable is undone.
   * Trimming at the front of an append-only array is kept (it is housekeeping, written with the next record).
   */
  revert(): void {
    const data = this.data();
    for (const s of STATE_SECTIONS) {
      const k = s.path.join('.');
      const parent = parentOf(data, s.path);
      const key = s.path[s.path.length - 1];
      const shadow = this.shadows.get(k)!;
      if (s.kind === 'map') {
        const map = shadow as MapShadow;
        const obj = (parent[key] ??= {}) as Record<string, unknown>;
        for (const name of Object.keys(obj)) {
          if (!map.has(name)) delete obj[name];
          else if (obj[name] !== map.get(name)) obj[name] = map.get(name);
        }
        for (const [name, v] of map) if (!(name in obj)) obj[name] = v;
      } else if (s.kind === 'append') {
        const { len, last } = shadow as AppendShadow;
        const arr = (parent[key] ??= []) as unknown[];
        const i = len === 0 ? -1 : arr.lastIndexOf(last);
        if (len === 0) arr.length = 0;
        else if (i >= 0) arr.length = i + 1;
      } else {
        const { value } = shadow as ValueShadow;
        if (value === 'undefined') delete parent[key];
        else parent[key] = JSON.parse(value);
      }
    }
    this.dirty.clear();
  }
}
