/**
 * The router above the plans' engines, on the two fixture plans and questions made from them by rule:
 * a question made from one plan's task is answered from that plan (alone, or beside the other when both fit
 * alike), never from the other plan alone, bar a small share; a department's list is grouped by plan.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { commandHelp } from '../../src/core/commands.js';
import { createPlanRouter, type PlanRouter } from '../../src/core/plans.js';
import { DepartmentRegistry } from '../../src/plan/departments.js';
import { taskTerms } from '../../src/plan/examples.js';
import { buildPlanImport, readPlanTable } from '../../src/plan/import/index.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { mentionedPlans, planShortName, withoutPlanName } from '../../src/plan/names.js';
import { PLAN2, lexicon, plan1 } from '../plan/helpers.js';

let plans: LoadedPlan[];
let router: PlanRouter;

beforeAll(async () => {
  const first = plan1();
  const file = path.join(PLAN2, 'plan2.docx');
  const imp = buildPlanImport(await readPlanTable(readFileSync(file), file), { id: 'p2', lexicon, others: [{ id: 'default', registry: first.registry }] });
  plans = [first, { plan: imp.plan!, registry: new DepartmentRegistry(imp.departments!) }];
  router = createPlanRouter(plans, (p) => createQaEngine(p));
});

describe('plan names', () => {
  it('cuts a short name from a title and finds it in a question', () => {
    const names = plans.map((p) => planShortName(p.plan.title));
    expect(names.every((n) => n.length >= 4 && n.length < 20)).toBe(true);
    const named = mentionedPlans(`${names[1]}第5项是什么`, plans.map((p) => ({ id: p.plan.id, title: p.plan.title })));
    expect(named.map((n) => n.plan.id)).toEqual(['p2']);
    expect(withoutPlanName(`${names[1]}第5项是什么`, named[0].words)).toBe('第5项是什么');
    expect(mentionedPlans('第5项是什么', plans.map((p) => ({ id: p.plan.id, title: p.plan.title })))).toEqual([]);
  });
});

describe('routing by the words of the question', () => {
  it('answers a question about a task from its own plan, the other plan alone at most once in twenty', () => {
    for (const { plan } of plans) {
      const asked = plan.tasks.flatMap((t) => taskTerms(t).slice(0, 1).map((term) => `谁负责${term}`));
      const wrong = asked.filter((q) => !router.ask(q).plans.includes(plan.id));
      expect(wrong.length / asked.length, `${plan.id}: ${wrong.join('；')}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('lists a department found in both plans grouped by plan, each group under its plan name', () => {
    const [a, b] = plans;
    const shared = a.registry.names.find((n) => b.registry.mentionedIn(n).length && b.plan.tasks.some((t) => t.departments.includes(b.registry.mentionedIn(n)[0])));
    expect(shared).toBeDefined();
    const answer = router.ask(`${shared}有哪些任务`);
    expect(answer.plans).toEqual(['default', 'p2']);
    expect(answer.text).toMatch(new RegExp(`^【${planShortName(a.plan.title)}】[\\s\\S]*\\n\\n【${planShortName(b.plan.title)}】`));
    expect(new Set(answer.tasks.map((t) => t.plan))).toEqual(new Set(['default', 'p2']));
  });

  it('says a unit no plan has is not one of their units (not merely that nothing matched), and one plan alone likewise', () => {
    const unit = ['海事局', '气象局', '地震局'].find((u) => plans.every((p) => !p.registry.mentionedIn(u).length))!;
    const answer = router.ask(`${unit}有哪些任务`);
    expect(answer.intent).toBe('unknown');
    expect(answer.text).toContain(`都没有「${unit}」`);
    expect(answer.departments).toEqual([]);
    const alone = createPlanRouter([plans[0]], (p) => createQaEngine(p)).ask(`${unit}有哪些任务`);
    expect(alone.text).toContain(`本方案的责任单位里没有「${unit}」`);
    for (const name of plans[0].registry.names) expect(alone.text).toContain(name);
  });

  it('keeps a refusal that says why (another document, the tasks that came near), with one plan loaded', () => {
    const engine = createQaEngine(plans[0]);
    const alone = createPlanRouter([plans[0]], (p) => createQaEngine(p));
    const other = alone.ask('劳动合同法第四十条是啥内容');
    expect(other.intent).toBe('unknown');
    expect(other.text).toMatch(/^「劳动合同法」不是这份分工方案/);
    // a question refused narrowly: its reply names the tasks that came near, and the router keeps them
    const near = ['我们街道调解室连台电脑、打印机都没有，谁给配', '调解室缺电脑打印机，钱谁出', '街道调解室没有办公设备找谁'].find((q) => engine.ask(q).saysWhy)!;
    expect(near).toBeDefined();
    const answer = alone.ask(near);
    expect(answer.intent).toBe('unknown');
    expect(answer.tasks).toEqual([]);
    expect(answer.text).toBe(engine.ask(near).text);
    expect(answer.text).toContain('可能相关的任务');
  });

  it('answers thanks with a courteous word, with one plan loaded or two — never "nothing matched" in every plan', () => {
    const alone = createPlanRouter([plans[0]], (p) => createQaEngine(p));
    for (const r of [router, alone]) {
      const answer = r.ask('收到，谢谢督办助手👍');
      expect(answer.intent).toBe('unknown');
      expect(answer.tasks).toEqual([]);
      expect(answer.text).toBe('不客气，有问题随时问我。');
    }
  });

  it('keeps the engines it has when the plans are replaced by the same plans, and builds one for a new plan', () => {
    const own = createPlanRouter([plans[0]], (p) => createQaEngine(p));
    own.ask('帮助');
    expect(own.built).toBe(1);
    own.replace(plans);
    expect(own.built).toBe(1);
    expect(own.ask('帮助').plans).toEqual(['default', 'p2']);
    expect(own.built).toBe(2);
  });
});

describe('the command examples of /help come from the plans loaded', () => {
  it('names a unit, one of its tasks and a question the plan answers: the talent plan alone never shows the first plan\'s words', () => {
    const talent = createPlanRouter([plans[1]], (p) => createQaEngine(p));
    const facts = talent.exampleFacts();
    const { plan, registry } = plans[1];
    expect(registry.names).toContain(facts.department);
    expect(plan.tasks.find((t) => t.id === facts.task)?.departments).toContain(facts.department);
    expect(talent.ask(facts.question).intent).toBe('responsibility');
    const help = commandHelp('telegram', ['group', 'admin'], facts);
    expect(help).toContain(`/tasks ${facts.department}`);
    expect(help).toContain(`/done ${facts.task} `);
    for (const name of plans[0].registry.names.filter((n) => !registry.names.some((m) => m.includes(n)))) expect(help).not.toContain(name);
    expect(help).not.toMatch(/\{(部门|任务|问题)\}/);
  });
});
