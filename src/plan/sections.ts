import type { Plan, Section } from './types.js';

/** The parts a reader can name by number: a flat list of measures is loaded as one part without number or title. */
export function numberedParts(plan: Plan): Section[] {
  return plan.sections.filter((s) => s.no);
}

/** 六、提升服务能力; the one part of a flat list as （不分部分）. */
export function partLabel(section: Section): string {
  return section.no ? `${section.no}、${section.title}` : '（不分部分）';
}
