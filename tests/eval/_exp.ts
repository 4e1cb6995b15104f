import { createQaEngine } from '../../handlers/qa-engine.js';
import { loadRankModel, DECISION_FEATURES } from '../../src/nlu/rank-model.js';
import { loadSuitePlan, preloadSuitePlans } from './eval-lib.js';
import { decisionData, fitLogistic, decisionErrors, type DecisionExample } from './fit-lib.js';
await preloadSuitePlans();
const model = loadRankModel();
const plans = { plan1: loadSuitePlan('plan1'), plan2: loadSuitePlan('plan2'), plan3: loadSuitePlan('plan3') };
const data = decisionData((p) => createQaEngine(plans[p], { model }));
const F = DECISION_FEATURES as readonly string[];
function lobo(d: DecisionExample[], lambda = 0.001) {
  let r = 0, a = 0, P = 0, N = 0;
  for (const g of new Set(d.map((x) => x.group))) {
    if (g === 'plan1 seed') continue;
    const held = d.filter((x) => x.group === g);
    const e = decisionErrors(fitLogistic(d.filter((x) => x.group !== g), lambda), held);
    r += e.refused; a += e.answered; P += held.filter((x) => x.y).length; N += held.filter((x) => !x.y).length;
  }
  return `refused ${r}/${P}, oos answered ${a}/${N}, total ${r + a}`;
}
console.log('base', lobo(data));
const idx = (n: string) => F.indexOf(n);
const pairs: Array<[string, string]> = [];
const bin = ['personal', 'who', 'department', 'unit', 'item', 'other', 'elsewhere'];
const cont = ['top', 'margin', 'coverage', 'matched', 'char2', 'unexplained', 'foreign', 'asks'];
for (const b of bin) for (const c of cont) pairs.push([b, c]);
for (let i = 0; i < bin.length; i++) for (let j = i + 1; j < bin.length; j++) pairs.push([bin[i], bin[j]]);
const withPairs = (sel: Array<[string, string]>) => data.map((d) => ({ ...d, x: [...d.x, ...sel.map(([p, q]) => d.x[idx(p)] * d.x[idx(q)])] }));
console.log('all pairs', pairs.length, lobo(withPairs(pairs), 0.01));
// greedy: each pair alone
const scored = pairs.map((p) => ({ p, s: lobo(withPairs([p])) }));
for (const { p, s } of scored) { const t = Number(s.split('total ')[1]); if (t < 25) console.log(p.join('×'), s); }
