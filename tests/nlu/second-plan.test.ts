import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import type { QaEngine } from '../../src/nlu/engine.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { loadSuitePlan, preloadSuitePlans } from '../eval/eval-lib.js';

/**
 * The second plan (a talent plan of another city), imported from its Word document as an office would, with no
 * lexicon entry of its own. Units are named here as the document prints them; the plan's own names come from the import.
 */
await preloadSuitePlans();
const loaded = loadSuitePlan('plan2');
const qa = createQaEngine(loaded);
/** The plan's name of the unit printed so (its full name or one of the aliases the import derived). */
const unit = (printed: string) => loaded.registry.departments.find((d) => d.name === printed || d.fullName === printed || d.aliases.includes(printed))!.name;
const tasksOf = (printed: string) => loaded.plan.tasks.filter((t) => t.departments.includes(unit(printed))).map((t) => t.id);

/**
 * A question in everyday words for the one task whose text says the plan's word (the synonym's story): that task is
 * the answer, first.
 */
function expectHeardAs(ask: QaEngine, plan: LoadedPlan, planWord: string, question: string): void {
  const saying = plan.plan.tasks.filter((t) => t.text.includes(planWord)).map((t) => t.id);
  expect(saying, planWord).toHaveLength(1);
  const a = ask.ask(question);
  expect(a.intent, question).toBe('responsibility');
  expect(a.tasks[0].id, question).toBe(saying[0]);
}

describe('a plan the engine was never tuned on', () => {
  it('lists a department’s tasks however the request is put', () => {
    for (const q of ['教育局 task list 发我一下', '教育局牵头或者配合的有哪几条', '涉及教育局的条目', '教育局要做哪些', 'education bureau task list', '教育局名下几项', '教育局 involved in which items?', '教育局要干些啥']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf('市教育局'));
    }
  });

  it('hears 私营企业 and 进修 as the plan’s 民营企业 and 研修 (a private firm’s manager sent to study)', () => {
    expectHeardAs(qa, loaded, '民营企业', '我在一家私营企业当副总，想去国外或者名牌大学进修一下管理，政府能报销一部分学费吗？找谁？');
  });

  it('reads who’s in charge after a story that asks a date as 谁在管 is read: the work is asked about, not the date', () => {
    for (const [english, chinese] of [
      ['人才公寓啥时候能住上？这块who’s in charge', '人才公寓啥时候能住上？这块谁在管'],
      ['各项目的实施细则啥时候能出？统筹各区落实的，who is in charge', '各项目的实施细则啥时候能出？统筹各区落实的，谁负责'],
    ]) {
      const heard = qa.ask(chinese);
      expect(heard.intent, chinese).toBe('responsibility');
      const a = qa.ask(english);
      expect(a.intent, english).toBe('responsibility');
      expect(a.tasks[0].id, english).toBe(heard.tasks[0].id);
    }
  });

  it('narrows a unit’s list to the one item asked about, even when its topic is a word of another unit’s name (发改委 金融人才 哪条: 金融 of 市金融办)', () => {
    const finance = loaded.registry.departments.find((d) => d.name.includes('金融'));
    expect(finance, 'a unit named for finance').toBeDefined();
    const about = loaded.plan.tasks.filter((t) => t.departments.includes(unit('市发改委')) && t.text.includes('金融')).map((t) => t.id);
    expect(about).toHaveLength(1);
    for (const q of ['发改委 金融人才 哪条', '发改委配合的金融人才那条是哪个']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(about);
    }
    // …while the words the plan's tasks are full of stay no topic (保障 of 人力资源和社会保障局)
    const hrss = qa.ask('人社局要保障的有哪几条');
    expect(hrss.tasks.map((t) => t.id)).toEqual(tasksOf('市人社局'));
  });

  it('names a unit by its name before a reform, its English abbreviation or its line of work (老计委, 体委, SASAC, 组工口)', () => {
    for (const [q, printed] of [
      ['老计委分到了啥', '市发改委'],
      ['体委的任务有哪些', '市体育局'],
      ['SASAC这次被分到哪几条', '市国资委'],
      ['HRSS的条目列一下', '市人社局'],
      // (or by its line of work as officials say it: 组工口 for the organisation department)
      ['组工口这回一共分到几项活儿', '市委组织部'],
    ] as const) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf(printed));
    }
    // …but not inside other words: 体委 of 整体委托, 计委 of 统计委员会, 科委 of 学科委员会
    for (const q of ['把员工合同整体委托给第三方机构谁负责', '统计委员会有哪些任务', '学科委员会的活']) expect(qa.resolveDepartments(q), q).toEqual([]);
  });

  it('reads 党委 before a unit printed with 市委 as the same party level, not a topic (党委政法委 for 市委政法委)', () => {
    for (const q of ['党委政法委要牵头或者参与的有哪几条', '党委政法委有哪些任务']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf('市委政法委'));
    }
  });

  it('reads a unit named with nothing else to look up as asking for its tasks (城管委在文件里有分工吗，具体哪条)', () => {
    const a = qa.ask('城管委在文件里有分工吗，具体哪条');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(tasksOf('市城管委'));
    // the plan named by where in it (文件里), and asking words (有的话是哪条), are nothing to look up either
    expect(qa.ask('体育局呢，文件里有它的活吗').tasks.map((t) => t.id)).toEqual(tasksOf('市体育局'));
    const leads = loaded.plan.tasks.filter((t) => t.lead.includes(unit('市教育局'))).map((t) => t.id);
    expect(qa.ask('教育局在这个意见里有没有牵头任务，有的话是哪条').tasks.map((t) => t.id)).toEqual(leads);
  });

  it('reads what the whole plan is about (人才, in nearly every task of a talent plan) as no topic of a unit’s list', () => {
    const a = qa.ask('组织部在人才方面有哪些任务');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(tasksOf('市委组织部'));
  });

  it('knows a unit printed with a list mark inside (各区、县级市) when it is typed without one', () => {
    for (const q of ['各区县级市要配合的有几项', '各区,县级市有哪些任务']) expect(qa.ask(q).tasks.map((t) => t.id), q).toEqual(tasksOf('各区、县级市'));
  });

  it('knows a department by a shortened or sound-alike name it was never told (住保办, 财证局)', () => {
    expect(qa.resolveDepartments('住保办 要做哪些')).toEqual([unit('市住房保障办')]);
    expect(qa.ask('住保办 要做哪些').tasks.map((t) => t.id)).toEqual(tasksOf('市住房保障办'));
    expect(qa.resolveDepartments('财证局负责哪几条')).toEqual([unit('市财政局')]);
    // a party or league body by its full name, with the place inside it
    expect(qa.resolveDepartments('共青团广州市委有哪些任务')).toEqual([unit('团市委')]);
    expect(qa.resolveDepartments('中共广州市委宣传部有哪些任务')).toEqual([unit('市委宣传部')]);
    // a unit said not to be the one meant, beside the one meant (工商联，不是工商局)
    expect(qa.resolveDepartments('工商联（不是工商局）有哪些任务')).toEqual([unit('市工商联')]);
    expect(qa.resolveDepartments('不是工商局啊，是工商联，有哪些任务')).toEqual([unit('市工商联')]);
    expect(qa.resolveDepartments('这条是不是工商局和工商联一起的')).toEqual([unit('市工商局'), unit('市工商联')].sort((a, b) => loaded.registry.names.indexOf(a) - loaded.registry.names.indexOf(b)));
    // the usual colloquial name of the establishment office
    expect(qa.resolveDepartments('编委办有没有任务')).toEqual([unit('市编办')]);
    // the end of a name without the rest, when a list is asked and nothing else is a topic
    expect(qa.ask('广电新闻出版局有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('市文化广电新闻出版局'));
    expect(qa.ask('各项目单位有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('各项目牵头单位'));
    // its line of work instead of its organ, and the colloquial names of the general lexicon (劳动部门 → 人社)
    expect(qa.ask('公安部门有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('市公安局'));
    expect(qa.ask('宣传系统有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('市委宣传部'));
    expect(qa.ask('劳动部门有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('市人社局'));
    // its side (公安这边), whatever else the question says
    expect(qa.resolveDepartments('公安这边跟人才有关的')).toEqual([unit('市公安局')]);
    expect(qa.ask('公安那边要配合的是哪几条呢').tasks.map((t) => t.id)).toEqual(tasksOf('市公安局'));
  });

  it('lists a unit’s tasks in the part the question points at (X在…那一块的任务, X在第三部分里涉及哪些条目)', () => {
    // a unit with tasks in several parts, asked about one of them
    const sectionOf = (id: number) => loaded.plan.tasks.find((t) => t.id === id)!.section;
    const d = loaded.registry.departments.find((x) => new Set(tasksOf(x.fullName).map(sectionOf)).size >= 2)!;
    const part = loaded.plan.sections.find((s) => s.index === sectionOf(tasksOf(d.fullName).at(-1)!))!;
    const a = qa.ask(`${d.fullName}在“${part.title}”那部分的任务有哪些`);
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(tasksOf(d.fullName).filter((id) => sectionOf(id) === part.index));
    expect(a.tasks.length).toBeLessThan(tasksOf(d.fullName).length);
    // the part by its number
    const byNumber = qa.ask(`${d.fullName}在第${part.no}部分里涉及哪些条目`);
    expect(byNumber.intent).toBe('department_tasks');
    expect(byNumber.tasks.map((t) => t.id)).toEqual(a.tasks.map((t) => t.id));
  });

  it('answers a task quoted from the plan with that task, whatever mentions the bot', () => {
    for (const task of loaded.plan.tasks.filter((t) => t.text.length > 30).slice(0, 10)) {
      const quote = task.text.replace(/^[^，。]*?[：:]/, '').slice(0, 24);
      const a = qa.ask(`@督办助手 ${quote} 这条谁负责`);
      expect(a.intent, quote).toBe('responsibility');
      expect(a.tasks[0].id, quote).toBe(task.id);
    }
  });

  it('reads 谁负责 before the topic after it (谁负责人才引进 is 谁负责 | 人才引进, not 负责人 | 才)', () => {
    for (const topic of ['人才引进', '人才培养', '人才公寓']) {
      const after = qa.ask(`${topic}谁负责`);
      expect(after.intent, topic).toBe('responsibility');
      for (const q of [`谁负责${topic}`, `由谁牵头${topic}`, `谁来负责${topic}`]) {
        const a = qa.ask(q);
        expect(a.intent, q).toBe('responsibility');
        expect(a.tasks[0].id, q).toBe(after.tasks[0].id);
      }
      // the question word before the topic or after it: the same understanding
      expect(qa.analyze(`哪个部门负责${topic}`).understood?.sort(), topic).toEqual(qa.analyze(`${topic}哪个部门负责`).understood?.sort());
    }
  });

  it('lists a part named by its subject, alone or in a long request, with or without subsections', () => {
    const part = (title: string) => {
      const s = loaded.plan.sections.find((x) => x.title.includes(title))!;
      return loaded.plan.tasks.filter((t) => t.section === s.index).map((t) => t.id);
    };
    for (const [q, title] of [
      ['六大行动计划有哪些任务', '六大人才行动计划'],
      ['三大支撑体系包括哪些', '三大人才开发支撑体系'],
      ['关于组织实施的条目', '强化组织实施'],
      // (its title said whole without the verb that opens it, in a request that says much else)
      ['领导让我把六大人才行动计划下面所有重点项目都梳理一遍，麻烦完整列一下，一个都不能漏', '六大人才行动计划'],
    ]) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(part(title));
    }
  });

  it('numbers subsections within their part, as the plan prints them (第三部分第二小节, 二之(三)); (二) alone is the first part’s, the other offered', () => {
    const inPart = (part: number, no: string) => {
      const sub = loaded.plan.subsections.find((s) => s.section === part && s.no === no)!;
      return loaded.plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id);
    };
    expect(qa.ask('第三部分第二小节').tasks.map((t) => t.id)).toEqual(inPart(3, '二'));
    expect(qa.ask('二之(三)有哪些').tasks.map((t) => t.id)).toEqual(inPart(2, '三'));
    const alone = qa.ask('(二)有哪些');
    expect(alone.tasks.map((t) => t.id)).toEqual(inPart(2, '二'));
    expect(alone.text).toContain('可问“第三部分第二小节”');
    // a part without subsections says so instead of guessing
    const none = qa.ask('第四部分第一小节');
    expect(none.tasks).toEqual([]);
    expect(none.text).toContain('不分小节');
    // …also as outlines and other languages write them
    expect(qa.ask('3.2 任务').tasks.map((t) => t.id)).toEqual(inPart(3, '二'));
    expect(qa.ask('part 2 第6个小节的项目').tasks.map((t) => t.id)).toEqual(inPart(2, '六'));
    expect(qa.ask('第二大部分第四个小标题底下是哪些项目').tasks.map((t) => t.id)).toEqual(inPart(2, '四'));
    const part = (n: number) => loaded.plan.tasks.filter((t) => t.section === n).map((t) => t.id);
    for (const q of ['第3块所有任务', '第三部份任务清单', 'Part 3 的tasks有哪些']) expect(qa.ask(q).tasks.map((t) => t.id), q).toEqual(part(3));
  });

  it('counts a subsection within the part named before it, by number or title: first, n-th or last (第二部分最后一个小块, 支撑体系那部分第二节)', () => {
    const subsOf = (part: number) => loaded.plan.subsections.filter((s) => s.section === part);
    const tasksIn = (sub: { index: number }) => loaded.plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id);
    const ids = (q: string) => qa.ask(q).tasks.map((t) => t.id);
    const withSubs = loaded.plan.sections.filter((p) => subsOf(p.index).length >= 3);
    expect(withSubs.length).toBeGreaterThan(0);
    for (const part of withSubs) {
      const subs = subsOf(part.index);
      const no = ['一', '二', '三', '四', '五', '六'][part.index - 1];
      expect(ids(`第${no}部分最后一个小块里有哪些任务`), part.title).toEqual(tasksIn(subs.at(-1)!));
      expect(ids(`${no}、下面头一个小块的task list发我一下`), part.title).toEqual(tasksIn(subs[0]));
      // (by its title's words, the part's number not said)
      const words = part.title.replace(/^(?:实施|构建|加强|健全)/, '').slice(0, 6);
      expect(ids(`${words}那部分第二节的任务都列出来`), words).toEqual(tasksIn(subs[1]));
      expect(ids(`${words}里排第三的那个小节都有什么任务`), words).toEqual(tasksIn(subs[2]));
    }
    // (the plan's second part, said after a title word of another, is no subsection of that one)
    const second = loaded.plan.tasks.filter((t) => t.section === 2).map((t) => t.id);
    expect(ids(`${withSubs.at(-1)!.title.slice(2, 6)}的同志想问下，方案第二部分有哪些任务`)).toEqual(second);
  });

  it('lists the subsection that examples of what it holds agree on, listed before 的那一节 or 那一类', () => {
    // three tasks of one subsection, each named by its own short name (the words before its first 。)
    const sub = loaded.plan.subsections.filter((s) => loaded.plan.tasks.filter((t) => t.subsection === s.index).length >= 3).at(-1)!;
    const inSub = loaded.plan.tasks.filter((t) => t.subsection === sub.index);
    const names = inSub.slice(0, 3).map((t) => t.text.split('。')[0].replace(/[“”"]/g, ''));
    for (const q of [`${names.join('、')}的那一节，全部发我看看`, `我想看${names.join('、')}那一类的，一整节给我列出来`]) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(inSub.map((t) => t.id));
    }
  });

  it('lists a part named by its title with its subsections’ titles as examples (支撑体系那个大块（交流培养、创新创业、服务保障那些）)', () => {
    const part = loaded.plan.sections.find((s) => s.title.includes('支撑体系'))!;
    const subs = loaded.plan.subsections.filter((s) => s.section === part.index);
    expect(subs.length).toBeGreaterThanOrEqual(3);
    for (const q of ['支撑体系那个大块（交流培养、创新创业、服务保障那些），里面的任务都有啥']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(loaded.plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
    }
  });

  it('counts parts and subsections by the word the plan’s titles share for them (第五个行动计划, 头一个体系, 六大计划的最后一个)', () => {
    // the plan's own word, found from its titles: the subsections of part 2 end with the same two-to-four characters
    const titled = (ending: string) => loaded.plan.subsections.filter((s) => s.title.replace(/[。.]$/, '').endsWith(ending));
    const idsOf = (sub: { index: number }) => loaded.plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id);
    const plans = titled('行动计划');
    const systems = titled('体系');
    expect(plans.length).toBeGreaterThanOrEqual(2);
    expect(systems.length).toBeGreaterThanOrEqual(2);
    expect(qa.ask('第二部分的第五个行动计划包含哪些项目').tasks.map((t) => t.id)).toEqual(idsOf(plans[4]));
    expect(qa.ask('六大计划的最后一个，下面几个项目？').tasks.map((t) => t.id)).toEqual(idsOf(plans.at(-1)!));
    expect(qa.ask('行动计划里排第二的那个，项目有哪些').tasks.map((t) => t.id)).toEqual(idsOf(plans[1]));
    expect(qa.ask('三大支撑体系里头一个体系下面是哪些').tasks.map((t) => t.id)).toEqual(idsOf(systems[0]));
    expect(qa.ask('六大行动计划的第四个，把项目全部列出来').tasks.map((t) => t.id)).toEqual(idsOf(plans[3]));
    expect(qa.ask('行动计划里排最后的那个，项目清单发下').tasks.map((t) => t.id)).toEqual(idsOf(plans.at(-1)!));
    expect(qa.ask('六个行动计划里倒数第二个那节有哪些任务').tasks.map((t) => t.id)).toEqual(idsOf(plans.at(-2)!));
    // …but 牵头的 is no "first" (头), and a task's own 计划 is no part
    expect(qa.ask('留学的那个精英计划是谁牵头的').intent).toBe('responsibility');
    // (nor the 头 of a word before the plan's word, 千字头计划: the first one is said 头一个, 头个)
    expect(qa.ask('国家那个千字头计划的海外专家来广州创业，服务中心是谁牵头搞的').intent).toBe('responsibility');
    expect(qa.ask('头个行动计划有哪些项目').tasks.map((t) => t.id)).toEqual(idsOf(plans[0]));
  });

  it('lists only what a unit leads when asked so (牵头的), only what it supports (要配合的), and both when both are asked', () => {
    const leads = (printed: string) => loaded.plan.tasks.filter((t) => t.lead.includes(unit(printed))).map((t) => t.id);
    const supports = (printed: string) => tasksOf(printed).filter((id) => !leads(printed).includes(id));
    const ids = (q: string) => qa.ask(q).tasks.map((t) => t.id);
    expect(ids('人社局牵头的有哪些？')).toEqual(leads('市人社局'));
    expect(qa.ask('人社局牵头的有哪些？').text).toContain(`牵头的任务共${leads('市人社局').length}项`);
    expect(ids('市委组织部要配合哪些项目')).toEqual(supports('市委组织部'));
    expect(ids('市委组织部要配合的')).toEqual(supports('市委组织部'));
    expect(ids('发改那边自己牵头的有几项？')).toEqual(leads('市发改委'));
    for (const q of ['组织部名下的活儿，配合的也算上', '组织部的task list发一下，配合的也要', '组织部牵头的发我，配合的一并列上', '组织部在人才集聚工程里牵头和配合的项目都有哪些', '组织部参与的所有条目，一共几项', '组织部牵头或者参与的有哪几条', '组织部负责或配合的有哪些']) {
      expect(ids(q), q).toEqual(tasksOf('市委组织部'));
    }
  });

  it('reads a role said as unwanted, or the one wanted said with 只要, as a list of that role (配合的不算, 不要牵头的, 只要牵头的, not lead)', () => {
    const leads = (printed: string) => loaded.plan.tasks.filter((t) => t.lead.includes(unit(printed))).map((t) => t.id);
    const supports = (printed: string) => tasksOf(printed).filter((id) => !leads(printed).includes(id));
    const ids = (q: string) => qa.ask(q).tasks.map((t) => t.id);
    expect(supports('市委组织部').length).toBeGreaterThan(0);
    for (const q of ['组织部牵头的项目有哪些（配合的不算）', '组织部牵头的是哪几条，配合的不要', '组织部只要牵头的，配合的不用']) {
      expect(ids(q), q).toEqual(leads('市委组织部'));
    }
    for (const q of ['组织部有哪些任务，不要牵头的', '组织部 tasks (support, not lead)', '组织部作为配合单位的有哪些', '组织部 only 配合的 which ones', '组织部作为配合单位的条目，别人牵头我们配合的那些', '组织部有哪些项目是配合别的单位做的，不是我们牵头的那种', '我们自己牵头的几条心里有数。组织部作为配合单位的条目有哪些']) {
      expect(ids(q), q).toEqual(supports('市委组织部'));
    }
  });

  it('with both roles in the message, lists the one said where the list is asked for (the other is the asker’s story)', () => {
    const leads = (printed: string) => loaded.plan.tasks.filter((t) => t.lead.includes(unit(printed))).map((t) => t.id);
    const supports = (printed: string) => tasksOf(printed).filter((id) => !leads(printed).includes(id));
    const ids = (q: string) => qa.ask(q).tasks.map((t) => t.id);
    expect(leads('市委组织部').length).toBeGreaterThan(0);
    expect(supports('市委组织部').length).toBeGreaterThan(0);
    expect(ids('我们组织部自己牵头的不多，其它都是配合的，领导让我把配合的那些单独拎出来，麻烦列一下')).toEqual(supports('市委组织部'));
    expect(ids('科长让我先把组织部牵头负责的条目梳理出来，配合的下一步再说')).toEqual(leads('市委组织部'));
    expect(ids('组织部牵头的那几个我们自己清楚，帮我列一下组织部作为配合单位的有哪些')).toEqual(supports('市委组织部'));
    // (both asked in the same breath is the whole list)
    expect(ids('组织部牵头和配合的都有哪些')).toEqual(tasksOf('市委组织部'));
  });

  it('lists a unit’s tasks asked for beside a fact the plan does not give, asked in a sentence or clause of its own (…？顺便问下…哪年印发的)', () => {
    for (const q of ['市司法局在方案里有哪些任务？顺便问下这个方案是哪年印发的', '教育局有哪些任务，另外这个要求什么时候报进展']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf(a.departments[0]));
      expect(a.departments, q).toHaveLength(1);
    }
    // (asked of the list itself, the fact is still one no list answers)
    expect(qa.ask('市司法局的办公地址和电话发我下').intent).toBe('unknown');
  });

  it('lists the whole of a unit’s tasks when all are asked for and a topic is only guessed at or told of beside the request (…那几条吧，帮我全部列出来)', () => {
    for (const q of ['组织部的任务有哪些？主要是留学人员那几条吧，帮我全部列出来', '组织部的任务清单列一下，留学人员那块应该也算在里面吧，全部都要']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf('市委组织部'));
    }
    // (…or said only in the story around the request)
    for (const q of ['上周开推进会，会上说留学人员这块进度偏慢。组织部在这份实施意见里一共要干哪些活儿？列个清单发我一下']) {
      expect(qa.ask(q).tasks.map((t) => t.id), q).toEqual(tasksOf('市委组织部'));
    }
    // (a topic said as such, not guessed, still narrows the list)
    const narrowed = qa.ask('组织部跟留学人员有关的任务全部列出来').tasks.map((t) => t.id);
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.length).toBeLessThan(tasksOf('市委组织部').length);
  });

  it('a request naming the plan itself (在人才集聚工程里, 这个意见里) is the whole list, not a topic', () => {
    for (const q of ['国资委在这个意见里涉及的项目有哪些', '工商联在人才集聚那个实施意见里有啥任务']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf(a.departments[0] === unit('市国资委') ? '市国资委' : '市工商联'));
    }
  });

  it('a subsection asked for by a piece of its title and a list word (城乡一体那块的项目列一下), or pointed at by what its tasks are about', () => {
    const sub = (title: string) => {
      const s = loaded.plan.subsections.find((x) => x.title.includes(title))!;
      return loaded.plan.tasks.filter((t) => t.subsection === s.index).map((t) => t.id);
    };
    expect(qa.ask('城乡一体那块的项目列一下').tasks.map((t) => t.id)).toEqual(sub('城乡一体'));
    expect(qa.ask('文化引领那个计划的项目').tasks.map((t) => t.id)).toEqual(sub('文化引领'));
    // named by the words its part shares with all its subsections (人才行动计划) and by its own (文化): that subsection, as
    // when pointed at (那块)
    expect(qa.ask('文化相关的人才行动计划，列一下').tasks.map((t) => t.id)).toEqual(sub('文化引领'));
    // pointed at by what one of its tasks is about
    const flats = loaded.plan.tasks.find((t) => t.text.includes('人才公寓'))!;
    expect(qa.ask('人才公寓那节有哪些').tasks.map((t) => t.id)).toEqual(loaded.plan.tasks.filter((t) => t.subsection === flats.subsection).map((t) => t.id));
  });

  it('another city’s work asked about (杭州那边的人才计划) is elsewhere: declined — someone from there brought to the plan’s city is not', () => {
    const own = ['广州'].filter((p) => loaded.plan.tasks.some((t) => t.text.includes(p)));
    expect(own).toEqual(['广州']);
    // (however near the plan's own work: 深圳那边博士后培养 is 深圳's, whatever task of 博士后 the plan has)
    for (const q of ['杭州那边的人才计划是哪个部门管的', '杭州的人才计划是哪个部门管的', '深圳那边博士后培养是谁负责的', '杭州那边的人才公寓是谁牵头建的']) {
      expect(qa.ask(q).intent, q).toBe('unknown');
      expect(qa.ask(q).tasks, q).toEqual([]);
    }
    expect(qa.ask('想从杭州那边引进高层次人才来广州，这个谁管').intent).toBe('responsibility');
  });

  it('hears 年轻 as the plan’s 青年 (young talent said plainly)', () => {
    expect(qa.query('扶持三十岁出头的年轻人才创业，谁牵头').terms.groups.find((g) => g.term === '年轻')?.alternatives).toContain('青年');
    expect(loaded.plan.tasks.some((t) => t.text.includes('青年'))).toBe(true);
  });

  it('牵头单位 said alone is how any plan speaks of units by their part, not the unit whose name ends so (各项目牵头单位)', () => {
    const named = loaded.registry.departments.find((d) => d.name.endsWith('牵头单位'))!;
    expect(named).toBeDefined();
    for (const q of ['一共有多少个不同的牵头单位', '每个牵头单位各有几个任务，帮我列个表']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.departments, q).toEqual([]);
      expect(a.text, q).toContain('各部门负责的任务数');
    }
    // (the unit named whole is still that unit)
    expect(qa.ask(`${named.name}有哪些任务`).departments).toEqual([named.name]);
  });
});

describe('a third plan, imported from a CSV with parts as heading rows', () => {
  const third = loadSuitePlan('plan3');
  const ask = createQaEngine(third);
  const name = (printed: string) => third.registry.departments.find((d) => d.fullName === printed || d.name === printed)!.name;
  it('a story asking 能不能… then who handles it (…能不能用手机预约？这归谁管) is the who-question, not how to use the bot', () => {
    expectHeardAs(ask, third, '预约', '每次去医院挂号都要排好久，能不能用手机预约、自己在机器上缴费？这归谁管？');
    // (how to use the bot, asked with 谁, is still help)
    expect(ask.ask('这个机器人怎么用，谁能教教我').intent).toBe('help');
  });

  it('hears 地震 and 躲 as the plan’s 应急避险, 药店 and 假药 as its 药品 (nowhere to shelter; a pharmacy selling fakes)', () => {
    expectHeardAs(ask, third, '应急避险', '万一真来了地震或者大火，我们这片连个能躲的空地都没有，也从来没练过怎么跑，这种事情找谁');
    expectHeardAs(ask, third, '药品安全', '楼下药店卖的感冒药好像是假的，吃了一点用没有，这种事情谁来查？');
  });

  it('hears 排队 as the plan’s 轮候 and 便宜 as its 廉租 (a family waiting years for a cheap flat)', () => {
    const waiting = third.plan.tasks.filter((t) => t.text.includes('轮候') && t.text.includes('廉租')).map((t) => t.id);
    expect(waiting).toHaveLength(1);
    const a = ask.ask('家里穷又租不起房，排队等政府那种便宜的房子等了好几年，这个谁负责');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(waiting[0]);
  });

  it('names a bureau asked for in English by its line of work (Forestry and Garden Bureau, Science, Technology and Information Bureau)', () => {
    for (const [q, stem] of [
      ['What tasks does the Forestry and Garden Bureau have?', '林业'],
      ['What tasks is the Science, Technology and Information Bureau responsible for in this plan?', '科技和信息化'],
    ]) {
      const unit = third.registry.departments.find((d) => d.fullName.includes(stem))!.name;
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(third.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id));
    }
  });

  it('hears 快塌 and 裂开 as the plan’s 危房 (an old house about to fall in), 零工 as its 灵活就业 (odd jobs)', () => {
    expectHeardAs(ask, third, '危房', '村里有个老人住的屋子快塌了，他自己又没钱修，这事找谁');
    expectHeardAs(ask, third, '危房', '我们巷子里有栋老楼墙都裂开了，住着好几户，这事该找哪个单位');
    // (odd-job workers hurt at work: the task that brings 灵活就业人员 into 工伤保险)
    expectHeardAs(ask, third, '灵活就业', '我老公打零工，干活时手被机器夹伤了，这种没固定单位的受伤了有没有保险，谁负责');
  });

  it('hears 不收钱 as the plan’s 免费 and 监狱 as its 刑释解教 (free museums; a man just out of prison)', () => {
    expectHeardAs(ask, third, '免费开放', '看展览的那些场馆能不能不收钱啊，谁负责');
    expectHeardAs(ask, third, '刑释解教', '邻居家儿子刚从监狱出来，想学门手艺找份工作，该找哪个部门');
  });

  it('asks who hands out a voucher (这个券是谁发的) as who is responsible, not which office issued a document', () => {
    expectHeardAs(ask, third, '免费职业培训券', '从湖南过来广州打工一年多了，听老乡说可以领免费的培训券去学技术，这个券是谁发的？');
    expect(ask.ask('这个方案是谁发的').intent).toBe('unknown');
  });

  it('reads an amount asked before 是谁定的 as what is decided: who decides it is asked, the amount is not', () => {
    const wage = third.plan.tasks.filter((t) => t.text.includes('最低工资')).map((t) => t.id);
    expect(wage).toHaveLength(1);
    for (const q of ['厂里工资好几年没涨过了，最低到底能给多少钱是谁定的啊', '最低工资好几年没动了 什么时候能涨 谁负责这个']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(a.tasks[0].id, q).toBe(wage[0]);
    }
    expect(ask.ask('最低工资是多少').intent).toBe('unknown');
  });

  it('answers a story that asks a date when its last sentence asks only which item says it, or whom to ask', () => {
    const hospitals = third.plan.tasks.filter((t) => t.text.includes('三级')).map((t) => t.id);
    expect(hospitals).toHaveLength(1);
    const a = ask.ask('花都那边看大病要跑到市区，啥时候能在区里建个三甲医院？哪条任务说的是这个');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(hospitals[0]);
    // (a date asked with no more than that is still no task's: the plan says who, not when)
    expect(ask.ask('区里的三甲医院啥时候能建好').intent).toBe('unknown');
  });

  it('hears 家政 as the plan’s 家庭服务 (everyday Chinese for the same trade)', () => {
    const about = third.plan.tasks.filter((t) => t.departments.includes(name('市经贸委')) && t.text.includes('家庭服务')).map((t) => t.id);
    expect(about).toHaveLength(1);
    expect(third.plan.tasks.some((t) => t.text.includes('家政'))).toBe(false);
    const a = ask.ask('经贸委配合的任务里关于发展家政服务的是哪条？');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(about);
  });

  it('hears 办丧事、火化 as the plan’s 殡葬 (how people speak of a funeral)', () => {
    expect(third.plan.tasks.some((t) => /丧事|火化|后事/.test(t.text))).toBe(false);
    expectHeardAs(ask, third, '殡葬', '家里老人走了，办丧事火化花了一大笔，村里和城里的服务差好多，这事找谁？');
  });

  // everyday words for the plan's own (synonyms.json): the one task saying the plan's word is the first answer
  it.each([
    ['hears 活到老学到老 as the plan’s 终身教育 (lifelong learning said as the proverb)', '终身教育', '退休了想在社区上点课学学电脑什么的，活到老学到老嘛，这方面是哪个单位负责搞的'],
    ['hears 农药 and 吃的东西 as the plan’s food safety (食品安全, its “食得放心”), not the market a story happens in', '食得放心', '菜市场买的青菜总怕农药超标，吃的东西到底能不能放心，整个城市这块是谁牵头在抓？'],
    ['hears 当兵 as the plan’s 退役士兵 (a veteran asking after his placement)', '退役士兵', '当兵退下来的咋安排 找谁'],
    ['hears a house about to collapse (要塌) as the plan’s 危房', '危房', '我们街上有栋老楼墙体都开裂了，感觉随时要塌，住在里面提心吊胆的，这种情况应该找谁？'],
    ['hears a cracked wall (墙都裂了) as the plan’s 危房 too', '危房', '我是房东，老城区有栋出租的老楼，外墙裂了好大的缝，租客和街坊都怕哪天塌下来，这种危楼谁来上门查、帮着修？'],
  ])('%s', (_story, planWord, question) => expectHeardAs(ask, third, planWord, question));

  it('hears 公家办的 as the plan’s 公办 (a school run by the state, said plainly), 拉肚子 as its 食品安全, 家门口 as 社区, 打工 as 务工', () => {
    for (const [question, said, planWord] of [
      ['镇上想办一所公家的技校，这事谁牵头', '公家', '公办'],
      ['在小摊上吃了东西全家拉肚子，这种事谁管', '拉肚子', '食品安全'],
      ['小病想在家门口看，不用跑大医院，谁牵头', '家门口', '社区'],
      ['外地来广州打工的人能领培训券吗，谁管', '打工', '务工'],
    ]) {
      expect(ask.query(question).terms.groups.find((g) => g.term === said)?.alternatives, question).toContain(planWord);
      expect(third.plan.tasks.some((t) => t.text.includes(planWord)), planWord).toBe(true);
    }
  });

  it('hears 打电话找谁 as asking for a unit, not for a phone number the plan does not give', () => {
    expect(third.plan.tasks.some((t) => t.text.includes('电话'))).toBe(false);
    expectHeardAs(ask, third, '流浪乞讨', '天桥底下有个流浪的老人好像病得很重，我该打电话找哪个部门来救助他');
    expect(ask.ask('救助站的电话是多少').intent).toBe('unknown');
  });

  it('reads a call told of (督查室打电话说…) as the story of a list request, not a phone number asked', () => {
    const unitName = third.registry.names[0];
    const a = ask.ask(`今天督查室打电话说我们也有任务。${unitName}到底挂了哪几条啊？`);
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(third.plan.tasks.filter((t) => t.departments.includes(unitName)).map((t) => t.id));
    expect(ask.ask(`${unitName}的办公电话是多少`).intent).toBe('unknown');
  });

  it('hears 手续归谁管 as asking which unit handles a procedure, not how the procedure goes', () => {
    expectHeardAs(ask, third, '转移接续', '我爸在外省交了十几年养老钱，现在回广州了，转过来接着交的手续归谁管');
    expect(ask.ask('养老保险转移接续的手续要带哪些材料').intent).toBe('unknown');
  });

  it('lists every task of a part when the plan has no subsections (第二部分有哪些任务)', () => {
    const second = third.plan.sections[1];
    const inPart = third.plan.tasks.filter((t) => t.section === second.index);
    const a = ask.ask(`第${second.no}部分有哪些任务`);
    expect(a.tasks.map((t) => t.id)).toEqual(inPart.map((t) => t.id));
    for (const t of inPart) expect(a.text).toContain(`第${t.id}项 `);
  });

  it('answers a subsection asked of a plan without subsections with a question about its own last part', () => {
    const last = third.plan.sections.at(-1)!;
    const a = ask.ask('第十七小节有哪些任务');
    expect(a.tasks).toEqual([]);
    expect(a.text).toBe(`方案不分小节。可以问：“第${last.no}部分有哪些任务”。`);
  });

  it('names a unit by a colloquial name whose usual successor ends the printed name (消防支队 → 消防局 → 市公安消防局)', () => {
    const fire = third.plan.tasks.filter((t) => t.departments.includes(name('市公安消防局'))).map((t) => t.id);
    expect(fire.length).toBeGreaterThan(0);
    expect(ask.ask('消防支队要干的活都有哪些').tasks.map((t) => t.id)).toEqual(fire);
  });

  it('names a unit of a long name by the first characters of its words (流管办 → 市流动人员出租屋管理办)', () => {
    const unit = name('市流动人员出租屋管理办');
    const its = third.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id);
    expect(its.length).toBeGreaterThan(0);
    expect(ask.resolveDepartments('流管办的任务')).toEqual([unit]);
    expect(ask.ask('流管办的任务').tasks.map((t) => t.id)).toEqual(its);
  });

  it('reads 最后一节 / 倒数第二节 as its parts in a plan without subsections', () => {
    expect(third.plan.subsections).toEqual([]);
    const sections = third.plan.sections.filter((p) => third.plan.tasks.some((t) => t.section === p.index));
    const idsOf = (index: number) => third.plan.tasks.filter((t) => t.section === index).map((t) => t.id);
    expect(ask.ask('最后一节').tasks.map((t) => t.id)).toEqual(idsOf(sections.at(-1)!.index));
    expect(ask.ask('倒数第二节有哪些').tasks.map((t) => t.id)).toEqual(idsOf(sections.at(-2)!.index));
  });

  it('says a unit leads nothing in a part named by number, rather than listing the part (第三部分里民政局牵头的有哪些)', () => {
    const civil = name('市民政局');
    const part = third.plan.sections.find((p) => third.plan.tasks.some((t) => t.section === p.index) && !third.plan.tasks.some((t) => t.section === p.index && t.lead.includes(civil)))!;
    const a = ask.ask(`第${part.index}部分里民政局牵头的有哪些`);
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks).toEqual([]);
    expect(a.text).toContain('没有与');
  });

  it('reads an item counted in a unit’s list as that unit’s n-th task in the role asked (民政局牵头的第一项)', () => {
    const led = third.plan.tasks.filter((t) => t.lead.includes(name('市民政局'))).map((t) => t.id);
    expect(led[0]).not.toBe(1);
    expect(ask.ask('民政局牵头的第一项是什么').tasks.map((t) => t.id)).toEqual([led[0]]);
    expect(ask.ask('民政局牵头的任务中第二个是啥').tasks.map((t) => t.id)).toEqual([led[1]]);
    // …the task of that number when the unit holds it in that role
    expect(ask.ask(`民政局牵头的第${led[2]}项`).tasks.map((t) => t.id)).toEqual([led[2]]);
  });

  it('lists the tasks of a unit described by its work, not named (出租屋管理那个办公室分了哪些工作)', () => {
    const unit = name('市流动人员出租屋管理办');
    const a = ask.ask('出租屋管理那个办公室分了哪些工作');
    expect(a.intent).toBe('department_tasks');
    expect(a.departments).toEqual([unit]);
    expect(a.tasks.map((t) => t.id)).toEqual(third.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id));
    // a part pointed at so (外来务工人员那个部分) is a part, not a unit
    expect(ask.ask('外来务工人员那个部分的任务麻烦发一下').intent).toBe('section_tasks');
  });

  it('lists the tasks where each of two units holds the role the question gives it (教育局牵头、人社局配合的)', () => {
    const inRoles = third.plan.tasks
      .filter((t) => t.lead.includes('市教育局') && t.departments.includes('市人社局') && !t.lead.includes('市人社局'))
      .map((t) => t.id);
    expect(inRoles.length).toBeGreaterThan(0);
    // (…or one unit's role inside the tasks the other leads: 人社局在教育局牵头的那些任务里配合了哪几条 — 人社 said by its stem too)
    for (const q of ['教育局牵头、人社局配合的任务是哪些', '人社局配合教育局牵头的有哪几项', '人社局在教育局牵头的那些任务里配合了哪几条', '市人社在教育局牵头的任务里要配合哪几条']) {
      const a = ask.ask(q);
      expect(a.tasks.map((t) => t.id), q).toEqual(inRoles);
      expect(a.text, q).toMatch(/^(?=.*市教育局牵头)(?=.*市人社局配合).*的任务共\d+项/);
    }
    // a question checking one task's units is no list (民企高管轮训，经贸委牵头对吧？工商联是配合？)
    expect(ask.ask('就业培训这块，人社局牵头对吧？教育局是配合？').intent).not.toBe('department_tasks');
  });

  it('reads 摊到了啥 / 有没有任务啊 / 包括配合别的单位的 as asking for a unit’s list', () => {
    const tasksOf = (unit: string) => third.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id);
    expect(ask.ask('科信局这次摊到了啥').tasks.map((t) => t.id)).toEqual(tasksOf('市科信局'));
    expect(ask.ask('体育局有没有任务啊').tasks.map((t) => t.id)).toEqual(tasksOf('市体育局'));
    // 工会 is the usual name of 市总工会 (department-aliases.json)
    expect(ask.ask('工会有哪些任务').tasks.map((t) => t.id)).toEqual(tasksOf('市总工会'));
    // 别的 / 其他 (other) is no topic, though the plan says 特别的: 包括配合别的单位的
    expect(third.plan.tasks.some((t) => t.text.includes('别的'))).toBe(true);
    for (const q of ['教育局涉及的条目有哪些，包括配合别的单位的', '教育局的任务列一下，其他单位牵头的也算']) {
      expect(ask.ask(q).tasks.map((t) => t.id), q).toEqual(tasksOf('市教育局'));
    }
  });

  it('reads a unit’s tasks in a part pointed at by the words of its title alone (人社局在异地务工人员那块)', () => {
    const migrants = third.plan.sections.find((s) => s.title.includes('异地务工人员'))!;
    const inPart = third.plan.tasks.filter((t) => t.section === migrants.index && t.departments.includes(name('市人社局'))).map((t) => t.id);
    // (the part's title says more: 构建开放包容的…服务体系; other tasks outside it speak of 务工人员 too)
    expect(migrants.title).not.toBe('异地务工人员');
    expect(inPart.length).toBeGreaterThan(1);
    for (const q of ['人社局在异地务工人员那块要做哪些', '人社局在异地务工人员那一部分的任务列一下']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(inPart);
    }
  });

  it('names a unit by a stem the plan’s text never uses (发改, 人社), but not inside another word (安监 in 治安监控)', () => {
    const planText = third.plan.tasks.map((t) => t.text).join('');
    expect(planText).not.toContain('发改');
    expect(planText).not.toContain('安监');
    expect(ask.resolveDepartments('发改要干的活')).toEqual(['市发改委']);
    expect(ask.resolveDepartments('整个治安监控这块归谁')).toEqual([]);
    // the plan has 人社 only across two words (残疾人社区): still no word of its own
    expect(planText).toContain('残疾人社区');
    expect(ask.resolveDepartments('人社有哪些任务')).toEqual([name('市人社局')]);
  });

  it('reads a unit said after three examples of what a part holds as describing the part (…这些民政的活在哪一块)', () => {
    const welfare = third.plan.sections.find((s) => s.title.includes('民生福利'))!;
    const a = ask.ask('城乡低保、敬老院、优抚安置、福利彩票这些民政的事在哪一块，整块发我');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(third.plan.tasks.filter((t) => t.section === welfare.index).map((t) => t.id));
  });

  it('reads the unit asked about, said again after 涉及, as the unit and not a topic (公安局…把涉及公安的条目都给我)', () => {
    const all = third.plan.tasks.filter((t) => t.departments.includes('市公安局')).map((t) => t.id);
    expect(all.length).toBeGreaterThan(3);
    expect(ask.ask('公安局在这个文件里负责啥，把涉及公安的条目都给我').tasks.map((t) => t.id)).toEqual(all);
    // …but a topic that only opens with the unit's stem narrows its list as before
    const vocational = ask.ask('教育局要配合的里面涉及职业教育的有哪些');
    expect(vocational.tasks.length).toBeGreaterThan(0);
    expect(vocational.tasks.every((t) => third.plan.tasks.find((x) => x.id === t.id)!.text.includes('职业教育'))).toBe(true);
  });

  it('names a unit by its stem though another unit’s name opens with it (公安 of 市公安局, not 市公安消防局)', () => {
    expect(third.registry.departments.map((d) => d.name)).toEqual(expect.arrayContaining(['市公安局', '市公安消防局']));
    const supports = third.plan.tasks.filter((t) => t.departments.includes('市公安局') && !t.lead.includes('市公安局')).map((t) => t.id);
    expect(ask.ask('公安要配合的是哪几条').tasks.map((t) => t.id)).toEqual(supports);
  });

  it('lists what a unit supports when asked 配合什么, and what it leads when asked 牵头哪些', () => {
    const supports = third.plan.tasks.filter((t) => t.departments.includes(name('团市委')) && !t.lead.includes(name('团市委'))).map((t) => t.id);
    const leads = third.plan.tasks.filter((t) => t.lead.includes(name('市民政局'))).map((t) => t.id);
    expect(supports.length).toBeGreaterThan(0);
    expect(ask.ask('团市委配合什么').tasks.map((t) => t.id)).toEqual(supports);
    expect(ask.ask('民政局牵头哪些').tasks.map((t) => t.id)).toEqual(leads);
    // the lead units named as whom it works with are not the role asked for
    const civilSupports = third.plan.tasks.filter((t) => t.departments.includes(name('市民政局')) && !t.lead.includes(name('市民政局'))).map((t) => t.id);
    expect(civilSupports.length).toBeGreaterThan(0);
    expect(ask.ask('下周要跟各牵头单位对接，把民政局作为配合单位的条目拉一下').tasks.map((t) => t.id)).toEqual(civilSupports);
    // the other role said as unwanted, however it is put (先不管, 它牵头的那条就不用了, 配合别人的就不用了)
    expect(ask.ask('民政局牵头的活儿都有哪些 配合的先不管').tasks.map((t) => t.id)).toEqual(leads);
    expect(ask.ask('民政局配合的事项有哪些，它牵头的那条就不用了').tasks.map((t) => t.id)).toEqual(civilSupports);
    expect(ask.ask('民政局牵头的任务有哪些？配合别人的就不用了').tasks.map((t) => t.id)).toEqual(leads);
  });

  it('reads the plan’s field as its title names it (在民生幸福这块) as no topic of a unit’s list', () => {
    const field = third.plan.title.match(/推进(.{4})/)![1];
    const all = third.plan.tasks.filter((t) => t.departments.includes(name('市民政局'))).map((t) => t.id);
    for (const q of [`民政局在${field}这块负责哪些`, `市民政局在${field}方面有啥任务`]) {
      expect(ask.ask(q).tasks.map((t) => t.id), q).toEqual(all);
    }
  });

  it('does not read a level and an organ word alone (市委) as the shortening of a unit (市建委)', () => {
    expect(third.registry.departments.some((d) => d.name === name('市建委'))).toBe(true);
    expect(ask.resolveDepartments('市委那边有什么安排')).not.toContain(name('市建委'));
    expect(ask.resolveDepartments('市委社会工作委员会负责哪些')).toEqual([name('市社工委')]);
  });

  it('a unit said by its new name and its old one (卫健委，原来的卫生局) is the one the plan prints, not a sound-alike of another', () => {
    // 健委 sounds like 建委, but 卫健委 alone is the health commission, the successor of the 卫生局 this plan prints
    // (department-aliases.json), never 市建委
    expect(ask.resolveDepartments('卫健委有哪些任务')).toEqual([name('市卫生局')]);
    for (const q of ['卫健委（原来的卫生局）的任务清单发我一下', '卫生局（现在叫卫健委了）负责啥']) expect(ask.resolveDepartments(q), q).toEqual([name('市卫生局')]);
  });

  it('reads a short form made of one character per word of the plan (三甲 for 三级甲等) as those words', () => {
    const task = third.plan.tasks.find((t) => t.text.includes('三级甲等'))!;
    const a = ask.ask('每区都要有三甲，谁牵头');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(task.id);
  });

  it('lists a part pointed at by what its tasks are about (看病、医院那一章列一下)', () => {
    // words of its tasks, none of its title's
    const task = third.plan.tasks.find((t) => t.text.includes('医院') && t.text.includes('药品'))!;
    expect(third.plan.sections.find((p) => p.index === task.section)!.title).not.toMatch(/医院|药品/);
    const a = ask.ask('医院、药品那部分都列一下');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(third.plan.tasks.filter((t) => t.section === task.section).map((t) => t.id));
  });

  it('lists a part named by what its title names, without the words describing it (公共教育体系有几条 for 构建优质均衡的公共教育体系)', () => {
    const part = third.plan.sections.find((p) => p.title.endsWith('的公共教育体系'))!;
    for (const q of ['公共教育体系有几条？分别是啥', '公共教育体系下面的任务有哪些', '公共教育体系 all tasks pls']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(third.plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
    }
  });

  it('lists a part pointed at by what its title names without the plan’s word for its parts (社会保险那部分; 五险那块)', () => {
    const part = third.plan.sections.find((p) => p.title.endsWith('的社会保险体系'))!;
    const ids = third.plan.tasks.filter((t) => t.section === part.index).map((t) => t.id);
    for (const q of ['社会保险那部分全部任务', '五险那块，整块给我']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(ids);
    }
    // not pointed at as a part, the same words may name things the part holds
    expect(ask.ask('社会保险到底是啥').intent).not.toBe('section_tasks');
  });

  it('lists a part given by examples of what it holds (治安、食品安全、应急避险这些方面的任务)', () => {
    const part = third.plan.sections.find((p) => p.title.endsWith('的公共安全体系'))!;
    const a = ask.ask('治安、食品安全、应急避险这些方面的任务有哪些');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(third.plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
    // asked for units, the examples describe the work: not a part
    expect(ask.ask('廉租住房、公共租赁住房这些哪几家负责').intent).not.toBe('section_tasks');
  });

  it('reads 是A管还是B管 as asking who is responsible', () => {
    const task = third.plan.tasks.find((t) => t.text.includes('廉租住房'))!;
    const a = ask.ask('廉租房轮候是国土房管管还是民政管');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(task.id);
  });

  it('reads 找哪个局 / 哪个委管 as asking who is responsible, also after 那块', () => {
    // (two tasks say 廉租住房: the one on 保障体系, and the one on 廉租住房保障收入线 that says 廉租住房保障 word for word)
    const said = third.plan.tasks.filter((t) => t.text.includes('廉租住房')).map((t) => t.id);
    expect(said.length).toBeGreaterThan(1);
    for (const q of ['廉租住房那块的保障 找哪个局', '廉租住房保障是哪个委管的']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(said, q).toContain(a.tasks[0].id);
    }
  });

  it('answers "does this unit have any task" (邮政局有没有任务？, 地税局有活吗) with its list', () => {
    for (const [q, printed] of [['邮政局有没有任务？有的话是哪条', '市邮政局'], ['地税局在这个文件里有活吗', '市地税局']]) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(third.plan.tasks.filter((t) => t.departments.includes(name(printed))).map((t) => t.id));
    }
    // …but 「那条，财政也有份吗」 is still a question about one task
    expect(ask.ask('提高老年人优待水平那条，财政局也有份吗').intent).toBe('responsibility');
  });
});

describe('a sixth plan, of ministries (a State Council opinion imported from a CSV)', () => {
  const sixth = loadSuitePlan('plan6');
  const ask = createQaEngine(sixth);
  const tasksOf = (name: string) => sixth.plan.tasks.filter((t) => t.departments.includes(name)).map((t) => t.id);
  const customs = sixth.registry.names.find((n) => n.endsWith('总署'))!;
  const tax = sixth.registry.names.find((n) => n.startsWith('税务'))!;

  it('a subsection counted inside the part its title names (主要任务里打头的那一小节) is that part’s first subsection, not the part', () => {
    const part = sixth.plan.sections.find((p) => p.title.includes('主要任务'))!;
    const first = sixth.plan.subsections.find((sub) => sub.section === part.index)!;
    const ids = sixth.plan.tasks.filter((t) => t.subsection === first.index).map((t) => t.id);
    for (const q of ['主要任务里打头的那一小节，全部任务列一下', '主要任务里开头第一小块，任务都列出来']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(ids);
    }
    const second = sixth.plan.subsections.filter((sub) => sub.section === part.index)[1];
    expect(ask.ask('主要任务里面第二小节有哪些任务').tasks.map((t) => t.id)).toEqual(sixth.plan.tasks.filter((t) => t.subsection === second.index).map((t) => t.id));
  });

  it('names a unit by the stem of its name even where 市 opens a word of it (市场监管 of 市场监管总局: 市场, not the level 市)', () => {
    const market = sixth.registry.names.find((n) => n.startsWith('市场监管'))!;
    expect(market).toBeDefined();
    const a = ask.ask('区里新开的加工厂想直接评个最高信用，该问市场监管还是海关？');
    expect(a.intent).toBe('responsibility');
    expect(a.departments).toContain(market);
  });

  it('answers what the bot can do (这个机器人能干啥, 这个助手能干嘛 我该怎么问) with the help, though the plan says 机器设备', () => {
    expect(sixth.plan.tasks.some((t) => t.text.includes('机器'))).toBe(true);
    for (const q of ['这个机器人能干啥', '这个助手能干嘛 我该怎么问', '我该怎么问你']) expect(ask.ask(q).intent, q).toBe('help');
  });

  it('answers the plan as a whole when its make-up is asked, though the plan’s tasks use those words (整体结构, 整体框架)', () => {
    for (const q of ['这方案的整体结构是怎样的', '这个方案整体框架是什么']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.text, q).toContain(`方案共${sixth.plan.tasks.length}项任务`);
    }
  });

  it('narrows a unit’s list to two things said to be two (检测维修和再制造这两块, …分别是哪条): the unit’s task of each', () => {
    const saying = (word: string) => sixth.plan.tasks.filter((t) => t.text.includes(word) && t.departments.includes(customs)).map((t) => t.id);
    const expected = [...saying('检测维修'), ...saying('再制造')].sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.length).toBeLessThan(tasksOf(customs).length);
    for (const q of ['检测维修和再制造这两块，海关总署配合的是哪几条', '海关总署 检测维修 和 再制造 分别是哪条']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(expected);
    }
  });

  it('hears 翻新 as the plan’s 再制造 and 抵税 as its 增值税 (refurbishing and VAT said in a trader’s words)', () => {
    const remanufacture = sixth.plan.tasks.filter((t) => t.text.includes('再制造')).map((t) => t.id);
    expect(remanufacture).toHaveLength(1);
    const a = ask.ask('把旧挖掘机、旧飞机发动机拆开翻新再卖出去，这种业务在保税区能做吗？谁牵头');
    expect(a.tasks[0].id).toBe(remanufacture[0]);
    const vat = sixth.plan.tasks.filter((t) => t.text.includes('增值税')).map((t) => t.id);
    expect(vat).toHaveLength(1);
    const b = ask.ask('区里企业想国内国外两头做生意，开票抵税的身份问题一直卡着，这事归哪个部门？');
    expect(b.tasks[0].id).toBe(vat[0]);
  });

  it('hears 国外 and 国内 as the plan’s 境外 and 境内 (food come from abroad, office supplies bought at home)', () => {
    expectHeardAs(ask, sixth, '境外入区的食品', '国外进来的水果、肉这些东西，能不能先进园区再化验，别压在港口，归哪个部门？');
    expectHeardAs(ask, sixth, '境内入区', '从国内运进保税区的办公用品、食堂的菜，每次进出都得报关，太折腾了，谁负责简化？');
  });

  it('hears 修好 as the plan’s 维修 (broken equipment from abroad repaired in the zone)', () => {
    expectHeardAs(ask, sixth, '全球维修', '国外客户的手机坏了想送到我们区里修好再发回去，这种全球修理的生意谁管');
  });

  it('hears 照搬 and 好做法 as the plan’s 复制推广 and 经验 (what worked in the free trade zones, copied)', () => {
    expectHeardAs(ask, sixth, '复制推广', '自贸区那边试过的好做法，我们综保区能不能直接照搬，谁牵头推');
  });

  it('hears 少交 as the plan’s 补缴 (tax underpaid is tax to pay back)', () => {
    expectHeardAs(ask, sixth, '补缴', '发现以前少交了一点税，想自己主动补上，不用等人上门查，这事归哪个部门？');
  });

  it('hears 瓷器 and 油画 as the plan’s 文物 and 艺术品 (porcelain and oil paintings brought in are cultural goods)', () => {
    expectHeardAs(ask, sixth, '艺术品', '画廊从国外进了一批油画放区里仓库，备案手续太繁琐，找谁简化？');
    expectHeardAs(ask, sixth, '艺术品', '朋友在海外拍卖会上拍回来一件清代瓷器，想先放在保税区里存着办个展，结果手续太复杂，谁负责简化？');
  });

  it('hears 网购 as the plan’s 电商 (online shopping is e-commerce)', () => {
    expect(sixth.plan.tasks.some((t) => t.text.includes('网购'))).toBe(false);
    expectHeardAs(ask, sixth, '跨境电商', '我们想在综保区做网购保税进口，消费者在平台下单直接从区里发货，哪个部门牵头');
  });

  it('hears 飞机 as the plan’s 航空 too: an aircraft engine rebuilt is remanufacturing, not aircraft leasing', () => {
    const remanufacture = sixth.plan.tasks.filter((t) => t.text.includes('再制造') && t.text.includes('航空')).map((t) => t.id);
    expect(remanufacture).toHaveLength(1);
    const a = ask.ask('旧的飞机发动机拆了翻新再卖，能不能在保税区里搞？谁管这个？');
    expect(a.tasks[0].id).toBe(remanufacture[0]);
  });

  it('hears no unit in an everyday word that sounds like one (任务总数 is no 总署)', () => {
    expect(ask.resolveDepartments('任务总数是多少')).toEqual([]);
    expect(ask.ask('任务总数是多少').text).toContain(`方案共${sixth.plan.tasks.length}项任务`);
  });

  it('reads a unit by its stem before a topic framed as such, examples and all (海关跟医疗器械、疫苗这些有关的…)', () => {
    const about = sixth.plan.tasks.filter((t) => t.departments.includes(customs) && /医疗器械|疫苗/.test(t.text)).map((t) => t.id);
    expect(about.length).toBeGreaterThan(1);
    const a = ask.ask('海关跟医疗器械、疫苗这些有关的事项有哪些');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
  });

  it('reads a stem the plan also uses as a word (海关 of 海关监管) as its unit where it acts or opens the question: 海关(要)管…的那条', () => {
    const stem = customs.replace(/总署$/, '');
    expect(sixth.plan.tasks.some((t) => t.text.replace(customs, '').includes(stem))).toBe(true);
    const vaccine = sixth.plan.tasks.find((t) => t.departments.includes(customs) && t.text.includes('疫苗'))!;
    // (a word of manner between it and its verb too: 海关也负责的, 海关要配合的)
    for (const q of [`疫苗的事${stem}管哪条`, `疫苗 ${stem}负责哪条`, `${stem}跟疫苗有关的是哪条`, `${stem}也负责的里面跟疫苗有关的是哪条`]) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual([vaccine.id]);
    }
    // …not where it is a word of the work (海关监管: no verb follows it)
    expect(ask.resolveDepartments(`${stem}监管的疫苗进口谁负责`)).not.toContain(customs);
    expect(ask.resolveDepartments(`疫苗的事${stem}管哪条`)).toContain(customs);
  });

  it('narrows a unit’s items to a topic the plan knows, though the list words are not the plan’s (…核销类的条目有哪些)', () => {
    const about = sixth.plan.tasks.filter((t) => t.departments.includes(customs) && t.text.includes('核销')).map((t) => t.id);
    expect(about.length).toBeGreaterThan(0);
    expect(about.length).toBeLessThan(tasksOf(customs).length);
    const a = ask.ask('海关这边核销类的条目有哪些');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
  });

  it('a part number that holds no task, said with the title of one that does, is that title’s part', () => {
    const empty = sixth.plan.sections.find((sec) => !sixth.plan.tasks.some((t) => t.section === sec.index))!;
    const sub = sixth.plan.subsections[0];
    const clause = sub.title.split(/[，,]/).at(-1)!;
    const a = ask.ask(`第${'一二三四五六七八九'[empty.index - 1]}部分 ${clause}那块 包括哪些`);
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(sixth.plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id));
  });

  it('names a ministry by its line of work, its usual short name, the national level or in English', () => {
    for (const [q, unit] of [
      ['海关那边涉及哪几条', customs],
      ['税总这回摊上几条？', tax],
      [`国家${tax}负责哪几条任务`, tax],
      ['GACC负责的items有哪些', customs],
    ] as const) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf(unit));
    }
  });

  it('narrows a unit’s list to several examples given, keeping the task each names (医疗器械、疫苗这一块)', () => {
    const device = sixth.plan.tasks.find((t) => t.text.includes('医疗器械') && t.departments.includes(customs))!;
    const vaccine = sixth.plan.tasks.find((t) => t.text.includes('疫苗') && t.departments.includes(customs))!;
    const ids = ask.ask(`${customs}涉及医疗器械、疫苗这一块的任务是哪几条`).tasks.map((t) => t.id);
    expect(ids).toContain(device.id);
    expect(ids).toContain(vaccine.id);
  });

  it('lists a subsection named by its title’s last clause without the verb (物流分拨中心 for …，打造物流分拨中心)', () => {
    const sub = sixth.plan.subsections.find((x) => x.title.includes('物流分拨中心'))!;
    const a = ask.ask('物流分拨中心下面有几条任务，分别是什么');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(sixth.plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id));
    // asked for the units of a task inside it: still a who-question
    expect(ask.ask('打造物流分拨中心里头，汽车保税存储那个事 负责单位有哪些').intent).toBe('responsibility');
  });

  it('lists the part whose subsections are counted by the plan’s word for them (五大中心: five subsections ending in 中心), and one of them when it is named', () => {
    const centres = sixth.plan.subsections.filter((x) => /中心[。.]?$/.test(x.title));
    expect(new Set(centres.map((x) => x.section)).size).toBe(1);
    const part = sixth.plan.tasks.filter((t) => t.section === centres[0].section).map((t) => t.id);
    const count = '零一二三四五六七八九'[centres.length];
    const a = ask.ask(`打造${count}大中心的那些任务都发我吧`);
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(part);
    const last = centres[centres.length - 1];
    const named = ask.ask(`${count}个中心里最后一个，下面任务都列出来`);
    expect(named.tasks.map((t) => t.id)).toEqual(sixth.plan.tasks.filter((t) => t.subsection === last.index).map((t) => t.id));
  });

  it('narrows a unit’s list to a topic said with 涉及 or 关于 alone, an English word beside it or not (涉及cross-border跨境的)', () => {
    const about = (unit: string, word: string) => sixth.plan.tasks.filter((t) => t.departments.includes(unit) && t.text.includes(word)).map((t) => t.id);
    const commerce = '商务部';
    expect(about(commerce, '跨境').length).toBeGreaterThan(0);
    expect(about(commerce, '跨境').length).toBeLessThan(sixth.plan.tasks.filter((t) => t.departments.includes(commerce)).length);
    for (const q of [`${commerce}涉及cross-border跨境的有哪些`, `${commerce}关于跨境的那些任务`]) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(about(commerce, '跨境'));
    }
  });

  it('reads the plan’s own subject (综保区, in nearly every task) as no topic of a unit’s list', () => {
    expect(ask.ask(`${tax}在综保区这个文件里分到哪些任务了`).tasks.map((t) => t.id)).toEqual(tasksOf(tax));
  });
});

describe('a seventh plan, one flat list of measures (no parts, no lead printed)', () => {
  const seventh = loadSuitePlan('plan7');
  const ask = createQaEngine(seventh);
  it('answers the one item of a unit a topic points at, though the plan says it otherwise (河长湖长 for 河长制湖长制), and the whole list when that is asked', () => {
    const water = seventh.registry.names.find((n) => n.startsWith('水利'))!;
    const own = seventh.plan.tasks.filter((t) => t.departments.includes(water));
    expect(own.length).toBeGreaterThan(1);
    const rivers = own.filter((t) => t.text.includes('河长制')).map((t) => t.id);
    expect(rivers).toHaveLength(1);
    const a = ask.ask(`${water}管河长湖长那块的是哪一条？`);
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(rivers);
    const all = ask.ask(`${water}那边涉及哪些任务？领导让我整理一下`);
    expect(all.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(own.map((t) => t.id));
  });

  it('answers a unit’s item pointed at by its topic (财政部 扶贫资金奖励那条) with that item alone, and a check of its units as a who-question', () => {
    const finance = seventh.registry.names.find((n) => n.startsWith('财政'))!;
    const reward = seventh.plan.tasks.filter((t) => t.departments.includes(finance) && t.text.includes('扶贫资金')).map((t) => t.id);
    expect(reward).toHaveLength(1);
    for (const q of [`${finance} 扶贫资金奖励那条`, `${finance}扶贫资金奖励那条帮忙找下`]) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(reward);
    }
    const check = ask.ask(`扶贫资金奖励那条，是不是只有${finance}`);
    expect(check.intent).toBe('responsibility');
    expect(check.tasks[0].id).toBe(reward[0]);
  });

  it('tells the unit that issued the plan from the plan: its own tasks when it is asked about, every task when its notice is', () => {
    const issuer = seventh.registry.departments.find((d) => seventh.plan.title.startsWith(d.fullName))!;
    const own = seventh.plan.tasks.filter((t) => t.departments.includes(issuer.name)).map((t) => t.id);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(seventh.plan.tasks.length);
    const a = ask.ask(`${issuer.fullName}有哪些任务`);
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(own);
    // (by the short name staff use for 国务院办公厅, before the notice named by words of its title)
    const short = '国办';
    expect(ask.resolveDepartments(short)).toEqual([issuer.name]);
    const b = ask.ask(`${short}那个加大激励支持的通知，任务分工全部列出来吧`);
    expect(b.intent).toBe('section_tasks');
    expect(b.tasks).toHaveLength(seventh.plan.tasks.length);
  });

  it('lists a unit’s tasks without a heading for the one unnumbered part, and says which units it has when asked for one it lacks', () => {
    const unit = seventh.registry.names[0];
    const a = ask.ask(`${unit}有哪些任务`);
    expect(a.intent).toBe('department_tasks');
    expect(a.text).not.toContain('【、】');
    expect(seventh.registry.names.some((n) => n.includes('工会'))).toBe(false);
    expect(ask.ask('总工会有哪些任务').text).toMatch(/^本方案的责任单位里没有「总工会」/);
  });

  it('lists a unit named with nothing else the plan knows (帮查一下科技部的，我们科技局要对口上报), but not when something else is asked of it', () => {
    const science = seventh.registry.departments.find((d) => d.name === '科技部')!.name;
    const its = seventh.plan.tasks.filter((t) => t.departments.includes(science)).map((t) => t.id);
    expect(its.length).toBeGreaterThan(0);
    const a = ask.ask('帮查一下科技部的，我们科技局要对口上报');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(its);
    expect(ask.ask('科技部的部长怎么选').intent).toBe('unknown');
  });

  it('hears 脱贫 and 穷人 as the plan’s 扶贫 (how people speak of poverty relief)', () => {
    const relief = seventh.plan.tasks.filter((t) => t.text.includes('扶贫资金')).map((t) => t.id);
    expect(relief).toHaveLength(1);
    expect(seventh.plan.tasks.some((t) => /脱贫|穷人/.test(t.text))).toBe(false);
    const a = ask.ask('我们省今年帮穷困户脱贫的考核结果挺好，分国家那笔专门帮穷人的钱时能多奖励一点吗？谁管这个');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(relief[0]);
  });

  it('narrows a unit’s list to a topic framed as a list of examples, keeping the task each names (跟就业、公立医院、养老相关的)', () => {
    const finance = seventh.registry.names.find((n) => n.startsWith('财政'))!;
    const naming = (word: string) => seventh.plan.tasks.find((t) => t.departments.includes(finance) && t.text.includes(word))!.id;
    const ids = ask.ask(`${finance}那几条里面，跟就业、公立医院、养老相关的是哪些？`).tasks.map((t) => t.id);
    for (const word of ['就业', '公立医院', '养老']) expect(ids, word).toContain(naming(word));
  });

  it('lists every task when the plan is asked for whole by its title’s words or its examples, without a part heading', () => {
    expect(seventh.plan.title).toContain('激励支持');
    const all = seventh.plan.tasks.map((t) => t.id);
    // (…or "that part" of a list that has one, named by the title's words, by examples or by where it runs from and to)
    for (const q of ['激励支持那份分工方案，从头到尾的任务都有哪些？', '周会要对表，激励支持通知里的重点任务全部调出来', '加大激励支持那部分，任务都列一下', '讲养老服务、公立医院综合改革、棚户区改造的那部分，麻烦把任务全列出来']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(all);
      expect(a.text, q).not.toMatch(/\n、/);
    }
  });

  it('lists every task when the plan’s tasks are asked for (这个方案有哪些任务, 所有任务清单发我一份), from the first to the last, or none left out (一条不落)', () => {
    const all = seventh.plan.tasks.map((t) => t.id);
    for (const q of ['激励支持那份通知的任务全部列一下，从第一条到最后一条', '这份方案里的任务一条不落地列出来', '这个方案有哪些任务', '这份方案总共有哪些重点任务', '把整个通知的分工任务都拉出来看看', '所有任务清单发我一份', '全部重点任务有哪些，给我列个清单']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(all);
    }
    // (every task of a unit or of a topic is not the plan's)
    const finance = seventh.registry.names.find((n) => n.startsWith('财政'))!;
    expect(ask.ask(`${finance}的所有任务清单发我一份`).tasks.length).toBeLessThan(all.length);
    expect(ask.ask('养老相关的所有任务清单发我一份').tasks.length).toBeLessThan(all.length);
    // the first and the last asked about are those two
    expect(ask.ask('第一条和最后一条是什么').tasks.map((t) => t.id)).toEqual([all[0], all.at(-1)]);
  });

  it('lists every task when the plan is named by its size or asked for in full (这N条…全部展开, 全量的任务清单), not a count of some', () => {
    const all = seventh.plan.tasks.map((t) => t.id);
    for (const q of [`把这${all.length}条措施全部展开`, '要全量的任务清单，整个激励支持方案的', '国办那个激励支持的通知一共有哪些条目，全部发出来']) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(all);
    }
    // (a count that is not the plan's is no name of it)
    expect(ask.ask(`把这${all.length - 3}条措施全部展开`).tasks.length).not.toBe(all.length);
  });

  it('heads a task with its number alone: no empty place （、） of the one unnumbered part', () => {
    const id = seventh.plan.tasks[9].id;
    expect(ask.ask(`第${id}项是什么`).text.split('\n')[0]).toBe(`第${id}项`);
  });

  it('gives its overview without parts: the count, 不分部分, and no example of a part', () => {
    expect(ask.ask('方案分了几个部分').intent).toBe('help');
    const a = ask.ask('方案有几个部分');
    expect(a.text).toContain(`方案共${seventh.plan.tasks.length}项任务，不分部分。`);
    expect(a.text).not.toMatch(/第部分|个小节|\n、/);
  });

  it('answers a part or subsection asked of a plan that has none with what it has, in its own numbers', () => {
    for (const q of ['第3部分有哪些任务', '第二小节有哪些']) {
      const a = ask.ask(q);
      expect(a.tasks, q).toEqual([]);
      expect(a.text, q).toMatch(/^方案不分(部分|小节)。/);
      expect(a.text, q).toContain(`第${seventh.plan.tasks.at(-1)!.id}项是什么`);
      expect(a.text, q).not.toMatch(/第部分|\(十七\)/);
    }
  });

  it('has no part to name: thanks, a greeting or a question about one measure is never “the whole plan as a part”', () => {
    expect(seventh.plan.sections.every((s) => s.title === '')).toBe(true);
    const measure = seventh.plan.tasks.find((t) => t.departments.length >= 2)!;
    for (const q of ['谢谢啊 辛苦了', `${measure.text.slice(1, 9)}成效明显，对接哪几个部委`, '小孩转学到县城读书要什么手续']) {
      expect(ask.ask(q).intent, q).not.toBe('section_tasks');
    }
    // …nor pointed at by what its measures are about: 那块有哪些 is that topic's few tasks, the measure's among them, and
    // …申报材料清单有吗 no list at all
    for (const t of seventh.plan.tasks) {
      const topic = ask.ask(`${t.text.slice(1, 9)}那块有哪些`);
      if (topic.intent === 'section_tasks') {
        expect(topic.tasks.length * 2, topic.question).toBeLessThanOrEqual(seventh.plan.tasks.length);
        expect(topic.tasks.map((r) => r.id), topic.question).toContain(t.id);
      }
      const q = `${t.text.slice(1, 9)}申报材料清单有吗，要盖哪些章`;
      expect(ask.ask(q).intent, q).not.toBe('section_tasks');
    }
  });

  it('narrows a unit’s list to a topic framed as such, though another unit’s name has the word (财政部跟科技相关的那项)', () => {
    const about = (unit: string, word: string) => seventh.plan.tasks.filter((t) => t.departments.includes(unit) && t.text.includes(word)).map((t) => t.id);
    expect(about('财政部', '科技')).toHaveLength(1);
    for (const [q, unit, word] of [['财政部跟科技相关的那项', '财政部', '科技'], ['国家发改委在水利方面负责的', '国家发改委', '水利']]) {
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(about(unit, word));
    }
  });

  it('narrows a unit’s list to a topic said as such, though the asking words around it are none of the plan’s (条款有哪几个)', () => {
    const about = seventh.plan.tasks.filter((t) => t.departments.includes('国家发改委') && t.text.includes('先行先试')).map((t) => t.id);
    expect(about.length).toBeGreaterThan(0);
    const a = ask.ask('发改委牵扯到“先行先试”的条款有哪几个');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
  });

  it('reads a phrase quoted in a unit’s list request word for word (提到“…”的都有哪些)', () => {
    const unit = '国家发改委';
    const own = seventh.plan.tasks.filter((t) => t.departments.includes(unit));
    let checked = 0;
    for (const t of own) {
      const phrase = t.text.slice(6, 10);
      const saying = own.filter((o) => o.text.includes(phrase)).map((o) => o.id);
      if (!/^\p{Script=Han}{4}$/u.test(phrase) || saying.length === own.length) continue;
      const a = ask.ask(`发改委的任务里面提到“${phrase}”的都有哪些`);
      expect(a.tasks.map((x) => x.id).sort((x, y) => x - y), phrase).toEqual(saying);
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
  });

  it('reads two ministries 联名 responsible as asking for what they share', () => {
    const shared = seventh.plan.tasks.filter((t) => t.departments.includes('水利部') && t.departments.includes('财政部')).map((t) => t.id);
    expect(shared.length).toBeGreaterThan(0);
    expect(ask.ask('水利部和财政部联名负责的是哪些').tasks.map((t) => t.id)).toEqual(shared);
  });

  it('does not read a ministry into a word of the question that differs from its name by one character (科技方面 is no 科技部)', () => {
    expect(ask.resolveDepartments('财政部管的科技方面的激励')).toEqual(['财政部']);
    expect(ask.resolveDepartments('水利方面的激励')).toEqual([]);
  });

  it('knows a ministry by an old or usual name that maps to one of the names the import gave it (卫计委, 国办)', () => {
    const tasksOf = (full: string) => {
      const unit = seventh.registry.departments.find((d) => d.fullName === full)!.name;
      return seventh.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id);
    };
    expect(ask.ask('卫计委那边有哪几条').tasks.map((t) => t.id)).toEqual(tasksOf('国家卫生健康委'));
    expect(ask.ask('国办负责的是哪些').tasks.map((t) => t.id)).toEqual(tasksOf('国务院办公厅'));
    // …or by its English abbreviation (MOF, NDRC), but not by an English word (most)
    expect(ask.ask('MOF的tasks发一下').tasks.map((t) => t.id)).toEqual(tasksOf('财政部'));
    expect(ask.resolveDepartments('most of the tasks')).toEqual([]);
  });

  it('answers which one of a unit’s measures is about something (财政部跟交通有关的是哪一项) with that one, from its list', () => {
    const finance = seventh.plan.tasks.filter((t) => t.departments.includes('财政部'));
    for (const [topic, q] of [['交通', '财政部那边跟公路交通有关的是哪一项'], ['公立医院', '财政部负责的措施里，关于公立医院的是哪条']]) {
      const about = finance.filter((t) => t.text.includes(topic));
      expect(about, topic).toHaveLength(1);
      const a = ask.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual([about[0].id]);
    }
  });
});

describe('an eighth plan, of district bureaus (never tuned on)', () => {
  const eighth = loadSuitePlan('plan8');
  const ask = createQaEngine(eighth);
  it('finds a unit printed with full-width brackets however it is typed (各镇（街道）, 各镇(街道), 各镇街道, 各镇)', () => {
    const towns = eighth.registry.departments.find((d) => d.name.includes('（'))!;
    expect(towns).toBeDefined();
    const tasks = eighth.plan.tasks.filter((t) => t.departments.includes(towns.name)).map((t) => t.id);
    const bare = towns.name.replace(/[（）]/g, '');
    const outer = towns.name.replace(/（[^）]*）/g, '');
    for (const typed of [towns.name, towns.name.replace('（', '(').replace('）', ')'), bare, outer]) {
      expect(ask.ask(`${typed}有哪些任务`).tasks.map((t) => t.id), typed).toEqual(tasks);
    }
  });

  it('names a district branch (分局) as people do, by its bureau (规划分局 → 规划局)', () => {
    const branch = eighth.registry.departments.find((d) => d.name.endsWith('分局'))!;
    expect(branch).toBeDefined();
    const tasks = eighth.plan.tasks.filter((t) => t.departments.includes(branch.name)).map((t) => t.id);
    const bureau = branch.name.replace(/^[区县市]/, '').replace(/分局$/, '局');
    expect(ask.ask(`${bureau}有哪些任务`).tasks.map((t) => t.id)).toEqual(tasks);
  });
});

describe('a ninth plan, of party building (long tasks)', () => {
  const ninth = loadSuitePlan('plan9');
  const ask = createQaEngine(ninth);
  it('reads the plan’s own city said in passing (来广州打工的党员) as where the asker is, not what the work is', () => {
    const story = (city: string) => `外地来${city}打工的党员，组织关系不在这边，平时谁管他们`;
    expect(ninth.plan.tasks.some((t) => t.text.includes('广州'))).toBe(true);
    const top = (q: string) => ask.ask(q).tasks[0]?.id;
    expect(top(story('广州'))).toBe(top(story('')));
    expect(ninth.plan.tasks.find((t) => t.id === top(story('广州')))!.text).toMatch(/^创新流动党员/);
  });

  it('reads the organ word after a shortened name as the name’s own, not a topic (非公党工委 of 市非公有制经济组织党工委)', () => {
    const unitName = ninth.registry.names.find((n) => n.includes('非公有制'))!;
    const tasks = ninth.plan.tasks.filter((t) => t.departments.includes(unitName)).map((t) => t.id);
    expect(tasks.length).toBeGreaterThan(3);
    const a = ask.ask('非公党工委的任务清单');
    expect(a.departments).toEqual([unitName]);
    expect(a.tasks.map((t) => t.id)).toEqual(tasks);
  });

  it('reads a unit named by part of its name as that unit when one of its items is asked for (机关工委 … 是哪一条), not only its list', () => {
    const unitName = ninth.registry.names.find((n) => n.includes('机关工委'))!;
    expect(unitName).not.toBe('机关工委');
    const [best] = ask.search('结对共建', 1);
    expect(ninth.plan.tasks.find((t) => t.id === best.id)!.departments).toContain(unitName);
    const a = ask.ask('机关工委 结对共建 是哪一条');
    expect(a.intent).toBe('department_tasks');
    expect(a.departments).toEqual([unitName]);
    expect(a.tasks.map((t) => t.id)).toEqual([best.id]);
    // (one item found: in full, with its units, as its number would be answered — not cut to a line of a list)
    const task = ninth.plan.tasks.find((t) => t.id === best.id)!;
    expect(a.text).toContain(`任务内容：${task.text}`);
    expect(a.text).toMatch(/责任部门：.*机关工委/);
    // (…but who does a matter, 哪个单位, is still the who-question)
    expect(ask.ask('结对共建是哪个单位在办的').intent).toBe('responsibility');
  });

  it('reads 一共几项任务 as the list asked for, not as pointing at the part whose title says 任务 (目标任务)', () => {
    const titledTasks = ninth.plan.sections.find((s) => s.title.includes('任务'))!;
    const cadres = ninth.plan.sections.find((s) => s.title.includes('干部'))!;
    expect(titledTasks.index).not.toBe(cadres.index);
    const inCadres = ninth.plan.tasks.filter((t) => t.section === cadres.index).map((t) => t.id);
    const a = ask.ask('讲干部交流、年轻干部培养那块一共几项任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(inCadres);
  });

  it('knows 市府办 / 区府办 as people shorten a government’s general office (department-aliases.json)', () => {
    const office = ninth.registry.departments.find((d) => d.fullName.includes('政府办公'))!;
    expect(office).toBeDefined();
    const tasks = ninth.plan.tasks.filter((t) => t.departments.includes(office.name)).map((t) => t.id);
    for (const q of ['市府办有哪些任务要跟', '府办负责哪几条']) expect(ask.ask(q).tasks.map((t) => t.id), q).toEqual(tasks);
  });
  it('a unit’s stem inside a topic that goes on past it (党员教育管理 holds 教育 of 市教育局 and 管 of 管理) names no unit: the part is asked', () => {
    const part = ninth.plan.sections.find((s) => s.title.includes('党员教育管理'))!;
    expect(part).toBeDefined();
    const a = ask.ask(`第${'一二三四五六七八九十'[part.index - 1]}部分，党员教育管理那块都有啥任务`);
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(ninth.plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
  });
  // everyday words for the plan's own (synonyms.json): the one task saying the plan's word is the first answer
  it.each([
    ['hears 顶尖 as the plan’s 高端 (top experts are its 高端人才)', '高端人才党建', '我们园区好多海归专家、顶尖科学家，想在他们中间成立党组织，领导还要一对一联系他们，归哪个部门？'],
    ['hears 喝茶看报 as the plan’s 庸懒散 (the idle official of the cliché)', '庸懒散', '有些公务员上班喝茶看报不干活，能不能问责，让这种人下来？归哪个单位管'],
    ['hears 老家 as the plan’s 流出地 (a migrant party member’s home branch)', '流出地', '我老家在湖南，组织关系还在老家，人在广州打工好几年了，这边有没有党组织管我？归哪个部门？'],
    ['hears 投票 and 换届 as the plan’s 选举 (a branch electing its secretary)', '民主选举', '社区党组织换届选书记要先推荐再评议再投票，这个归哪个部门'],
    ['hears 外地 as the plan’s 流动 (a party member come from elsewhere is its 流动党员)', '流动党员管理服务', '我是外地来广州打工的党员，组织关系还在老家，在这边一直没地方过组织生活，应该找谁？'],
    ['hears 直接选 as the plan’s 直选 (direct election said in everyday words)', '直选', '我们学校的党支部要换届了，能不能让党员自己推、自己直接选书记，而不是上面指定？归哪个单位管？'],
  ])('%s', (_story, planWord, question) => expectHeardAs(ask, ninth, planWord, question));
  it('finds a unit printed with quotation marks inside however it is typed (市“两新”组织党工委, 两新组织党工委)', () => {
    const quoted = ninth.registry.departments.find((d) => d.name.includes('“'))!;
    expect(quoted).toBeDefined();
    const tasks = ninth.plan.tasks.filter((t) => t.departments.includes(quoted.name)).map((t) => t.id);
    for (const typed of [quoted.name, quoted.name.replace(/[“”]/g, ''), quoted.name.replace(/[“”]/g, '').replace(/^市/, '')]) {
      const a = ask.ask(`${typed}涉及的任务都有哪些`);
      expect(a.intent, typed).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), typed).toEqual(tasks);
    }
  });
});
