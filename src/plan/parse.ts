import { parseChineseNumber } from '../core/chinese-numerals.js';
import { DEFAULT_PLAN_ID, type Plan, type Section, type Subsection, type Task } from './types.js';
import type { DepartmentRegistry } from './departments.js';

export const PLAN_FORMAT_VERSION = 1;

export class PlanParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`第${line}行: ${reason}`);
  }
}

const SECTION_RE = /^([一二三四五六七八九十]+)[、，,.．]\s*(.+)$/;
const SUBSECTION_RE = /^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.+)$/;
const HEADER_CELL = '重点任务';

/**
 * Parse the plan table (see data/README.md, "plan.txt"): tab-separated rows of
 * 部分 \t 小节 \t 序号 \t 任务内容 \t 责任部门, as copied from the source document.
 * Empty cells inherit from the nearest row above (merged cells), across page breaks and repeated header lines.
 */
export function parsePlan(source: string, registry: DepartmentRegistry, id = DEFAULT_PLAN_ID): Plan {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let title = '';
  let formatVersion = PLAN_FORMAT_VERSION;
  const sections: Section[] = [];
  const subsections: Subsection[] = [];
  const tasks: Task[] = [];
  let section: Section | undefined;
  let subsection: Subsection | undefined;
  let departments: string[] = [];

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\u3000/g, ' ');
    if (!line.trim()) return;
    const directive = /^#\s*format\s*:\s*(\S+)/i.exec(line.trim());
    if (directive) {
      formatVersion = Number(directive[1]);
      if (formatVersion !== PLAN_FORMAT_VERSION) {
        throw new PlanParseError(lineNo, `不支持的格式版本 ${directive[1]}（本程序支持 ${PLAN_FORMAT_VERSION}）`);
      }
      return;
    }
    if (line.trim().startsWith('#')) return;
    const cells = line.split('\t').map((c) => c.trim());
    if (cells[0] === HEADER_CELL) return;
    if (cells.length === 1) {
      if (!title && tasks.length === 0) title = cells[0];
      else throw new PlanParseError(lineNo, '不是表格行（应有 部分、小节、序号、任务内容、责任部门 五列，用制表符分隔）');
      return;
    }
    if (cells.length < 5) throw new PlanParseError(lineNo, `只有${cells.length}列，应为5列（部分、小节、序号、任务内容、责任部门）`);
    const [sectionCell, subsectionCell, idCell, text, deptCell] = cells;

    if (sectionCell) {
      const m = SECTION_RE.exec(sectionCell);
      const index = m ? parseChineseNumber(m[1]) : undefined;
      if (!m || !index) throw new PlanParseError(lineNo, `无法识别的部分标题「${sectionCell}」（应如「一、总体要求」）`);
      section = sections.find((s) => s.index === index);
      if (!section) {
        section = { no: m[1], index, title: m[2].trim() };
        sections.push(section);
      }
    }
    if (!section) throw new PlanParseError(lineNo, '第一条任务之前缺少部分标题');

    if (subsectionCell) {
      const m = SUBSECTION_RE.exec(subsectionCell);
      const index = m ? parseChineseNumber(m[1]) : undefined;
      if (!m || !index) throw new PlanParseError(lineNo, `无法识别的小节标题「${subsectionCell}」（应如「(一) 指导思想」）`);
      subsection = subsections.find((s) => s.index === index);
      if (!subsection) {
        subsection = { no: m[1], index, title: m[2].trim(), section: section.index };
        subsections.push(subsection);
      }
    }
    if (!subsection) throw new PlanParseError(lineNo, '第一条任务之前缺少小节标题');
    if (subsection.section !== section.index) {
      // A page that restarts a section column without repeating the subsection keeps the earlier subsection.
      throw new PlanParseError(lineNo, `小节（${subsection.no}）不属于部分「${section.no}、${section.title}」`);
    }

    if (!/^\d+$/.test(idCell)) throw new PlanParseError(lineNo, `序号「${idCell}」不是数字`);
    const id = Number(idCell);
    const expected = tasks.length + 1;
    if (id !== expected) throw new PlanParseError(lineNo, `序号应为 ${expected}，实际为 ${id}`);
    if (!text) throw new PlanParseError(lineNo, '任务内容为空');

    if (deptCell) {
      departments = [];
      for (const name of deptCell.split(/[、，,;；\s]+/).filter(Boolean)) {
        const canonical = registry.resolveExact(name);
        if (canonical.length === 0) throw new PlanParseError(lineNo, `未知的责任部门「${name}」（请在 data/departments.json 中登记）`);
        for (const c of canonical) if (!departments.includes(c)) departments.push(c);
      }
    }
    if (departments.length === 0) throw new PlanParseError(lineNo, '责任部门为空，且上方没有可继承的责任部门');

    tasks.push({
      id,
      section: section.index,
      subsection: subsection.index,
      text,
      departments: [...departments],
      lead: [],
      support: [],
      actors: registry.actorsIn(text),
    });
  });

  if (tasks.length === 0) throw new PlanParseError(lines.length, '没有找到任何任务');
  return { id, title, formatVersion, sections, subsections, tasks };
}
