export interface Department {
  /** Canonical short name used everywhere (人社, 总工会 …). */
  name: string;
  fullName: string;
  aliases: string[];
}

/** A name that stands for several departments (企业代表组织 = 工商联 + 企联). */
export interface DepartmentGroup {
  name: string;
  members: string[];
}

export interface Section {
  /** Chinese ordinal as printed: 一 … 六. */
  no: string;
  index: number;
  title: string;
}

export interface Subsection {
  /** Chinese ordinal as printed inside the brackets: 一 … 二十 (may restart at 一 in each part). */
  no: string;
  /** Position in the whole plan, 1, 2, 3 … — unique, unlike `no` when numbering restarts per part. */
  index: number;
  title: string;
  section: number;
}

/** A 完成时限 cell: the words as printed, and the last day they name when they name one. */
export interface Deadline {
  /** As printed: 「2026年6月底前」「长期坚持」「每年」. */
  text: string;
  /** ISO date (YYYY-MM-DD) of the last day meant, e.g. 2026-06-30; absent for 「长期坚持」-like text. */
  date?: string;
}

export interface Task {
  id: number;
  section: number;
  /** Index of the task's subsection; absent in a part without subsections. */
  subsection?: number;
  text: string;
  /** Canonical names of the responsible departments, in the order printed (lead first, then support). */
  departments: string[];
  /** 牵头单位, when the plan prints lead and supporting units apart; [] for a single 责任单位 column. */
  lead: string[];
  /** 配合单位/参与单位, when printed apart from the lead; [] for a single 责任单位 column. */
  support: string[];
  /** From a 完成时限/时间安排 column, when the plan has one. */
  deadline?: Deadline;
  /** Departments the task text itself names as actors ("司法行政部门要…"): a ranking signal. */
  actors: string[];
}

/** The id of the plan shipped in data/ (plan.txt + departments.json), loaded when nothing else says which. */
export const DEFAULT_PLAN_ID = 'default';

export interface Plan {
  /** Stable identifier, also the folder name under DATA_DIR/plans/ (ASCII: default, p2 …). */
  id: string;
  title: string;
  formatVersion: number;
  sections: Section[];
  subsections: Subsection[];
  tasks: Task[];
}
