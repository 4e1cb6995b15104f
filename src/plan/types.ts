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
  /** Chinese ordinal as printed inside the brackets: 一 … 二十. */
  no: string;
  index: number;
  title: string;
  section: number;
}

export interface Task {
  id: number;
  section: number;
  subsection: number;
  text: string;
  /** Canonical names of the responsible departments, in the order printed. */
  departments: string[];
  /** Departments the task text itself names as actors ("司法行政部门要…"): a ranking signal. */
  actors: string[];
}

export interface Plan {
  title: string;
  formatVersion: number;
  sections: Section[];
  subsections: Subsection[];
  tasks: Task[];
}
