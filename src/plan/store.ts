import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/env.js';
import { DEFAULT_PLAN_DIR } from '../core/paths.js';
import { DepartmentRegistry, type DepartmentFile } from './departments.js';
import type { LoadedPlan } from './load.js';
import { parsePlan } from './parse.js';
import { DEFAULT_PLAN_ID, type Plan, type Task } from './types.js';

/**
 * Plans kept in DATA_DIR/plans/<id>/: plan.json (the normalised plan, readable), departments.json
 * (its own department registry) and source.<ext> (the file it was imported from). The plan shipped
 * in data/ (plan.txt + departments.json) is the default plan until a plan with id `default` is stored.
 */
export type PlanStatus = 'active' | 'archived';

export interface PlanMeta {
  id: string;
  title: string;
  status: PlanStatus;
  importedAt?: string;
  /** The file the plan was imported from (copied beside plan.json as source.<ext>). */
  source?: { name: string; file: string; sha256: string };
  /** True for the plan shipped in data/ (not imported). */
  shipped?: boolean;
}

interface PlanFile extends PlanMeta {
  format: 'duban-plan';
  version: 1;
  formatVersion: number;
  sections: Plan['sections'];
  subsections: Plan['subsections'];
  tasks: Array<Omit<Task, 'actors'>>;
}

export const plansDir = (dataDir: string) => path.join(dataDir, 'plans');
const PLAN_ID_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** A plan being written: .new-<id>-<random>. */
const NEW_FOLDER_RE = /^\.new-([a-z0-9][a-z0-9-]{0,31})-[0-9a-f]{8}$/;

export function checkPlanId(id: string): void {
  if (!PLAN_ID_RE.test(id)) throw new Error(`方案编号「${id}」无效：只能用小写字母、数字和 -，最长 32 个字符`);
}

/** Where the dashboard saves a replacement of the shipped plan (plan.txt format 1). */
export function importedPlanFile(dataDir: string): string {
  return path.join(dataDir, 'plan.txt');
}

/** The shipped plan (data/plan.txt, or a plan.txt the dashboard saved in DATA_DIR) as the default plan. */
function shippedPlan(dataDir: string): LoadedPlan {
  const shipped = (name: string) => {
    const file = path.join(DEFAULT_PLAN_DIR, name);
    if (!existsSync(file)) throw new ConfigError('DEFAULT_PLAN_DIR', `应为含有 plan.txt 和 departments.json 的目录，${DEFAULT_PLAN_DIR} 里没有 ${name}`);
    return file;
  };
  const registry = new DepartmentRegistry(JSON.parse(readFileSync(shipped('departments.json'), 'utf8')) as DepartmentFile);
  const saved = importedPlanFile(dataDir);
  const plan = parsePlan(readFileSync(existsSync(saved) ? saved : shipped('plan.txt'), 'utf8'), registry, DEFAULT_PLAN_ID);
  return { plan, registry };
}

function readStored(dir: string): { meta: PlanMeta; loaded: LoadedPlan } {
  const file = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as PlanFile;
  if (file.format !== 'duban-plan' || file.version !== 1) throw new Error(`${path.join(dir, 'plan.json')}: 不是督办助手方案文件（或版本不支持）`);
  const registry = new DepartmentRegistry(JSON.parse(readFileSync(path.join(dir, 'departments.json'), 'utf8')) as DepartmentFile);
  const plan: Plan = {
    id: file.id,
    title: file.title,
    formatVersion: file.formatVersion,
    sections: file.sections,
    subsections: file.subsections,
    tasks: file.tasks.map((t) => ({ ...t, actors: registry.actorsIn(t.text) })),
  };
  const { id, title, status, importedAt, source, shipped } = file;
  return { meta: { id, title, status, importedAt, source, shipped }, loaded: { plan, registry } };
}

export interface PlanListing extends Omit<PlanMeta, 'status'> {
  /** `broken`: its files cannot be read (see `problem`); it is left out until repaired or re-imported. */
  status: PlanStatus | 'broken';
  problem?: string;
  tasks: number;
  departments: number;
}

export interface BrokenPlan {
  id: string;
  problem: string;
}

function scanStored(dataDir: string): { stored: Array<{ meta: PlanMeta; loaded: LoadedPlan }>; broken: BrokenPlan[] } {
  const dir = plansDir(dataDir);
  const stored: Array<{ meta: PlanMeta; loaded: LoadedPlan }> = [];
  const broken: BrokenPlan[] = [];
  if (!existsSync(dir)) return { stored, broken };
  const complete = (name: string) => existsSync(path.join(dir, name, 'plan.json'));
  const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const folders = new Map(names.filter((n) => PLAN_ID_RE.test(n) && complete(n)).map((n) => [n, n]));
  // A crash between moving the old version aside and renaming the new one in leaves only the new folder,
  // complete once its plan.json (written last) is there: read it from where it is.
  for (const n of names) {
    const id = NEW_FOLDER_RE.exec(n)?.[1];
    if (id && !folders.has(id) && !names.includes(id) && complete(n)) folders.set(id, n);
  }
  for (const [id, folder] of folders) {
    try {
      stored.push(readStored(path.join(dir, folder)));
    } catch (err) {
      // One damaged plan must not stop the others (nor the server) from loading.
      broken.push({ id, problem: `${path.join(dir, folder)}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return { stored, broken };
}

/**
 * Every readable plan, the default first: stored ones from DATA_DIR/plans, the shipped one unless a plan
 * `default` is stored (a damaged stored default is not silently replaced by the shipped one).
 */
export function readPlans(dataDir: string): Array<{ meta: PlanMeta; loaded: LoadedPlan }> {
  const { stored, broken } = scanStored(dataDir);
  const all =
    stored.some((p) => p.meta.id === DEFAULT_PLAN_ID) || broken.some((b) => b.id === DEFAULT_PLAN_ID)
      ? stored
      : [{ meta: { id: DEFAULT_PLAN_ID, title: '', status: 'active' as const, shipped: true }, loaded: shippedPlan(dataDir) }, ...stored];
  for (const p of all) p.meta.title ||= p.loaded.plan.title;
  const order = (id: string) => (id === DEFAULT_PLAN_ID ? '' : id.padStart(32, ' '));
  return all.sort((a, b) => order(a.meta.id).localeCompare(order(b.meta.id)));
}

/** The active plans, the default first — what the bot answers from. */
export function loadPlans(dataDir: string): LoadedPlan[] {
  return readPlans(dataDir).filter((p) => p.meta.status === 'active').map((p) => p.loaded);
}

/**
 * The plan a server, `npm run ask` and `npm run remind` on this DATA_DIR use while they know one plan:
 * the one named, else the default plan, or the first active one when the default is archived.
 */
export function loadPlanFor(dataDir: string, id?: string): LoadedPlan {
  const plans = loadPlans(dataDir);
  const found = id ? plans.find((p) => p.plan.id === id) : plans[0];
  const broken = scanStored(dataDir).broken.find((b) => b.id === (id ?? DEFAULT_PLAN_ID));
  if (!found && broken) throw new Error(`方案 ${broken.id} 的文件已损坏：${broken.problem}`);
  if (!found) throw new Error(id ? `没有编号为「${id}」的有效方案（npm run plan -- list 查看）` : '没有有效的方案（都已归档）');
  return found;
}

export function listPlans(dataDir: string): PlanListing[] {
  const readable: PlanListing[] = readPlans(dataDir).map(({ meta, loaded }) => ({ ...meta, tasks: loaded.plan.tasks.length, departments: loaded.registry.departments.length }));
  const broken: PlanListing[] = scanStored(dataDir).broken.map((b) => ({ id: b.id, title: '', status: 'broken', problem: b.problem, tasks: 0, departments: 0 }));
  return [...readable, ...broken];
}

/** The next free id for a new plan: p2, p3 … (the shipped default counts as the first). */
export function nextPlanId(dataDir: string): string {
  const taken = new Set(readPlans(dataDir).map((p) => p.meta.id));
  let n = 2;
  while (taken.has(`p${n}`)) n++;
  return `p${n}`;
}

function writeFileDurably(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function planFile(meta: PlanMeta, plan: Plan): PlanFile {
  return {
    format: 'duban-plan',
    version: 1,
    ...meta,
    formatVersion: plan.formatVersion,
    sections: plan.sections,
    subsections: plan.subsections,
    tasks: plan.tasks.map(({ actors: _actors, ...t }) => t),
  };
}

/**
 * Store a plan as DATA_DIR/plans/<id>/, all files at once: written into a fresh folder that is then
 * renamed into place; a plan it replaces is kept under plans/.replaced/.
 */
export function storePlan(
  dataDir: string,
  input: { plan: Plan; departments: DepartmentFile; source?: { name: string; bytes: Uint8Array }; status?: PlanStatus; shipped?: boolean; now?: Date },
): PlanMeta {
  checkPlanId(input.plan.id);
  const root = plansDir(dataDir);
  mkdirSync(root, { recursive: true });
  const tmp = path.join(root, `.new-${input.plan.id}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  const ext = input.source ? (path.extname(input.source.name).toLowerCase().replace(/[^.a-z0-9]/g, '') || '.txt') : '';
  const meta: PlanMeta = {
    id: input.plan.id,
    title: input.plan.title,
    status: input.status ?? 'active',
    importedAt: (input.now ?? new Date()).toISOString(),
    ...(input.source ? { source: { name: path.basename(input.source.name), file: `source${ext}`, sha256: createHash('sha256').update(input.source.bytes).digest('hex') } } : {}),
    ...(input.shipped ? { shipped: true } : {}),
  };
  if (input.source) writeFileDurably(path.join(tmp, `source${ext}`), input.source.bytes);
  writeFileDurably(path.join(tmp, 'departments.json'), `${JSON.stringify(input.departments, null, 2)}\n`);
  writeFileDurably(path.join(tmp, 'plan.json'), `${JSON.stringify(planFile(meta, input.plan), null, 2)}\n`);
  const target = path.join(root, input.plan.id);
  if (existsSync(target)) {
    const replaced = path.join(root, '.replaced');
    mkdirSync(replaced, { recursive: true });
    renameSync(target, path.join(replaced, `${input.plan.id}-${meta.importedAt!.replace(/[:.]/g, '-')}`));
  }
  renameSync(tmp, target);
  // Left by a crash before the rename above in an earlier import of this plan: superseded now.
  for (const n of readdirSync(root)) if (NEW_FOLDER_RE.exec(n)?.[1] === input.plan.id) rmSync(path.join(root, n), { recursive: true, force: true });
  return meta;
}

/** Archive (or re-activate) a plan; the shipped default is stored as plan `default` first. */
export function setPlanStatus(dataDir: string, id: string, status: PlanStatus): PlanMeta {
  const found = readPlans(dataDir).find((p) => p.meta.id === id);
  if (!found) throw new Error(`没有编号为「${id}」的方案（npm run plan -- list 查看）`);
  if (found.meta.shipped && !existsSync(path.join(plansDir(dataDir), id))) {
    const { registry, plan } = found.loaded;
    return storePlan(dataDir, { plan, departments: { version: 1, coordinator: registry.coordinator, departments: registry.departments, groups: registry.groups }, status, shipped: true });
  }
  const file = path.join(plansDir(dataDir), id, 'plan.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as PlanFile;
  data.status = status;
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileDurably(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
  return { ...found.meta, status };
}
