import { esc } from './html.js';

/** Server-side SVG charts: no scripts, no external fonts, readable without colour (labels carry the numbers). */

export const COLORS = { done: '#2e7d32', doing: '#f9a825', todo: '#b0bec5', overdue: '#c62828', line: '#1565c0' };

export interface DeptBar {
  name: string;
  done: number;
  doing: number;
  todo: number;
  overdue: number;
}

/** Horizontal stacked bars: one per department (已完成 / 进行中 / 未开始), the overdue count at the end. */
export function deptChart(bars: DeptBar[], title = '各部门任务进度'): string {
  const rowH = 26;
  const labelW = 78;
  const barW = 300;
  const top = 28;
  const width = labelW + barW + 80;
  const height = top + bars.length * rowH + 30;
  const max = Math.max(1, ...bars.map((b) => b.done + b.doing + b.todo));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="dc-t" class="chart">`,
    `<title id="dc-t">${esc(title)}</title>`,
    `<style>text{font:13px sans-serif;fill:#222}.n{fill:#fff;font-size:12px}.o{fill:${COLORS.overdue};font-weight:bold}</style>`,
  );
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(b.name)}</text>`);
    let x = labelW;
    for (const [v, c] of [
      [b.done, COLORS.done],
      [b.doing, COLORS.doing],
      [b.todo, COLORS.todo],
    ] as const) {
      const w = (v / max) * barW;
      if (w > 0) {
        parts.push(`<rect x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${c}"><title>${v}</title></rect>`);
        if (w > 18) parts.push(`<text class="n" x="${(x + w / 2).toFixed(1)}" y="${y + 15}" text-anchor="middle"${c === COLORS.doing || c === COLORS.todo ? ' style="fill:#222"' : ''}>${v}</text>`);
      }
      x += w;
    }
    const total = b.done + b.doing + b.todo;
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 15}">${total}${b.overdue ? '' : ''}</text>`);
    if (b.overdue) parts.push(`<text class="o" x="${(x + 30).toFixed(1)}" y="${y + 15}">逾期${b.overdue}</text>`);
  });
  const ly = top + bars.length * rowH + 14;
  let lx = labelW;
  for (const [label, c] of [
    ['已完成', COLORS.done],
    ['进行中', COLORS.doing],
    ['未开始', COLORS.todo],
  ] as const) {
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${c}"/><text x="${lx + 14}" y="${ly}">${label}</text>`);
    lx += 70;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Vertical bars: completions per week. */
export function weeklyChart(weeks: Array<{ label: string; count: number }>, title = '每周完成数'): string {
  const w = 420;
  const h = 170;
  const left = 28;
  const bottom = 30;
  const top = 14;
  const plotH = h - top - bottom;
  const max = Math.max(1, ...weeks.map((x) => x.count));
  const step = (w - left - 6) / Math.max(1, weeks.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-labelledby="wc-t" class="chart">`,
    `<title id="wc-t">${esc(title)}</title>`,
    '<style>text{font:11px sans-serif;fill:#222}</style>',
    `<line x1="${left}" y1="${top + plotH}" x2="${w - 4}" y2="${top + plotH}" stroke="#888"/>`,
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`,
  ];
  weeks.forEach((wk, i) => {
    const bh = (wk.count / max) * plotH;
    const x = left + i * step + step * 0.15;
    const bw = step * 0.7;
    parts.push(`<rect x="${x.toFixed(1)}" y="${(top + plotH - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS.line}"><title>${esc(wk.label)}: ${wk.count}</title></rect>`);
    if (wk.count > 0) parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(top + plotH - bh - 3).toFixed(1)}" text-anchor="middle">${wk.count}</text>`);
    if ((weeks.length - 1 - i) % 2 === 0 || weeks.length <= 8) parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${h - bottom + 14}" text-anchor="middle">${esc(wk.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A ring showing overall completion. */
export function ring(percent: number, label: string): string {
  const r = 40;
  const c = 2 * Math.PI * r;
  const p = Math.max(0, Math.min(100, percent));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="110" height="110" role="img" aria-label="${esc(label)} ${p.toFixed(0)}%" class="ring">` +
    `<circle cx="50" cy="50" r="${r}" fill="none" stroke="#e0e0e0" stroke-width="12"/>` +
    `<circle cx="50" cy="50" r="${r}" fill="none" stroke="${COLORS.done}" stroke-width="12" stroke-dasharray="${((c * p) / 100).toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 50 50)"/>` +
    `<text x="50" y="55" text-anchor="middle" style="font:bold 18px sans-serif;fill:#222">${p > 0 && p < 10 ? p.toFixed(1) : p.toFixed(0)}%</text></svg>`
  );
}
