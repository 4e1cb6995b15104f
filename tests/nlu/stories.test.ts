import { describe, expect, it } from 'vitest';
import { engine, loaded } from './helpers.js';

/** The unit's tasks whose text says the word, read from the plan. */
const unitTasksSaying = (unit: string, word: string) => loaded().plan.tasks.filter((t) => t.departments.includes(unit) && t.text.includes(word)).map((t) => t.id);

describe('a staff member asks who is responsible for something', () => {
  it('asks who handles 调解员培训 and is told 第48项 with its six departments, and 第57项 as related', () => {
    const a = engine().ask('谁负责调解员培训?');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(48);
    expect(a.departments).toEqual(['人社', '法院', '司法行政', '总工会', '工商联', '企联']);
    expect(a.text).toContain('第48项');
    expect(a.text).toContain('人社（人力资源社会保障部门）');
    expect(a.text).toMatch(/相关：.*第57项/);
    expect(a.tasks.map((t) => t.id)).toContain(57);
  });

  it('asks which units, several (是哪几家负责), as who is responsible: the task’s units, not a unit’s list', () => {
    const a = engine().ask('仲裁材料的事搞清楚了，顺便问下在市县中裁院里设调解中心是哪几家负责');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(28);
    expect(a.departments).toEqual(['人社', '法院']);
  });

  it('asks who will help (谁来帮我) as who handles it, not as a service asked of the bot', () => {
    const a = engine().ask('上个月跟老板私下谈好了赔偿，也签了协议，结果他现在不认账不给钱了。这种情况谁来帮我？');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(23);
    // (帮我 asked of the bot is still a service no task answers)
    expect(engine().ask('帮我写一份调解协议').intent).toBe('unknown');
  });

  // a story in the asker's words, answered with the one task it describes
  it.each([
    ['asks who keeps watch (谁来盯着) as who handles it: an opinion it seems to ask before (值不值) is the work', '调解工作没钱办不下去，经费谁来保障？钱花得值不值、有没有乱用，又是谁来盯着？', 58],
    ['hears 付钱 as the plan’s 支付: a court order to pay is 第46项’s 支付令', '单位欠工资有欠条，听说可以不走官司直接让法院发个令催他付钱，这个谁负责落实', 46],
    ['hears 评 said alone (评和谐企业的时候) as the plan’s 评选: the appraisal task, 第11项', '评和谐企业的时候，公司自己有没有设调节的组织会不会算分？谁定的这个', 11],
  ])('%s', (_story, question, task) => {
    const a = engine().ask(question);
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(task);
  });

  it('asks who handles two matters each (调解员培训和支付令分别谁负责) and is told each one’s task, in the order asked', () => {
    const [training] = engine().search('调解员培训', 1);
    const [order] = engine().search('支付令', 1);
    const a = engine().ask('调解员培训和支付令分别谁负责');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks.slice(0, 2).map((t) => t.id)).toEqual([training.id, order.id]);
    for (const id of [training.id, order.id]) expect(a.text).toContain(`第${id}项`);
    // (units side by side are no matters: 人社、法院各自有数据… asks about one matter)
    expect(engine().analyze('人社、法院、工会各自有一堆纠纷数据，想打通了一起分析，哪个部门负责').each).toBeUndefined();
  });

  it('asks who handles 支付令 and is told 第46项 in (十六)', () => {
    const a = engine().ask('支付令归哪个部门管');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(46);
    expect(a.text).toContain('(十六)强化调解与仲裁、诉讼衔接');
    expect(a.departments).toEqual(['人社', '法院', '司法行政', '总工会']);
  });

  it('reads English topic words as Chinese, wherever they stand (payment order, mediator training)', () => {
    const find = (words: string) => engine().search(words, 1)[0]?.id;
    expect(engine().ask('payment order 归谁管').tasks[0]?.id).toBe(find('支付令'));
    expect(engine().ask('mediator training 谁负责').tasks[0]?.id).toBe(find('调解员培训'));
  });

  it('hears "which department" (which dept) as asking who, as 哪个部门 is: answered, not refused as a question of something else', () => {
    for (const q of ['调解员培训有没有人管 which department', '企业调解组织建不起来 which dept']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(a.tasks[0]?.id, q).toBe(engine().ask(q.replace(/ which.*$/, ' 哪个部门负责')).tasks[0]?.id);
    }
  });

  it('uses colloquial words: 拖欠工资 finds the 欠薪 risk task, 外卖骑手 finds 新就业形态劳动者', () => {
    // (how the risk is checked is asked, not who: whether that is answered is the fitted decision's call, RECORD.md)
    expect(engine().analyze('拖欠工资的风险怎么排查').ranked[0].id).toBe(15);
    expect(engine().ask('外卖骑手这类人群的争议预警谁负责').tasks[0].id).toBe(14);
    expect(engine().ask('调解工作的钱谁出').tasks[0].id).toSatisfy((id: number) => [52, 58].includes(id));
  });

  it('asks whether a unit is the one (劳动争议协商室是找工会吗) and is told the task with its units', () => {
    const a = engine().ask('劳动争议协商室是找工会吗');
    expect(a.intent).toBe('responsibility');
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('协商室');
  });

  it('a story about a room for talks is told the short task that sets one up, not a long task that shares more of its everyday words', () => {
    const a = engine().ask('听说工会可以在地方上专门设一间屋子，让员工和公司坐下来谈纠纷，这个是哪个单位负责？');
    const task = (id: number) => loaded().plan.tasks.find((t) => t.id === id)!;
    expect(task(a.tasks[0].id).text).toContain('协商室');
    // (the long task on 调处中心 says 纠纷 and 调解 too: its length no longer wins it the place)
    const mean = loaded().plan.tasks.reduce((s, t) => s + t.text.length, 0) / loaded().plan.tasks.length;
    expect(task(a.tasks[0].id).text.length).toBeLessThan(mean);
  });

  it('hears 小厂 and 大厂 as the plan’s 中小企业 and 大中型企业 (a small firm with no HR; a big one told to set up a committee)', () => {
    const saying = (word: string) => loaded().plan.tasks.find((t) => t.text.includes(word))!.id;
    expect(engine().ask('我们是个二十来人的小厂没有专门HR，听说有机构可以帮忙代管员工这摊事，这个归谁管').tasks[0].id).toBe(saying('中小企业服务机构'));
    expect(engine().ask('我们是个两千人的大厂，上面要求厂里成立一个专门处理劳资纠纷的委员会，这是谁布置的').tasks[0].id).toBe(saying('大中型企业'));
  });

  it('hears 让步 and 认了 as the plan’s 妥协 and 认可 (what a worker gave up in talks, held against him later)', () => {
    const saying = loaded().plan.tasks.find((t) => t.text.includes('妥协认可'))!.id;
    const a = engine().ask('当初私下谈的时候为了早点拿钱我让了步，认了几次迟到，后来去仲裁公司拿这个说事，这归谁管');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(saying);
  });

  it('is honest when nothing in the plan matches, and names no department', () => {
    const a = engine().ask('今天天气怎么样');
    expect(a.intent).toBe('unknown');
    expect(a.tasks).toEqual([]);
    expect(a.departments).toEqual([]);
    expect(a.text).toContain('没有找到与');
    expect(a.text).toMatch(/可以这样问：\n· /);
  });

  it('declines a who-question about another field of government the plan never mentions (黑臭水体, 退役军人)', () => {
    for (const q of ['河涌黑臭水体治理归哪个部门', '退役军人安置是哪个部门牵头']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
    }
  });

  it('declines which companies have done the work, or whether it is done yet: facts the plan does not state', () => {
    for (const q of ['咱们区已经有哪几家大企业建了劳动争议调解委员会？想要个名单', '劳动争议调解委员会现在建好了没有', '调解员培训的办法出台了没有']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
    }
  });

  it('declines how another place does the work (深圳那边…是怎么运作的) in a plan of no one place, which is every place’s', () => {
    for (const [q, place] of [['深圳那边仲裁院里的调解中心是怎么运作的，有没有现成经验可以参考', '深圳'], ['杭州那边的一窗式受理是怎么搞的', '杭州']]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
      expect(a.text, q).toContain(`没有讲「${place}」那边的做法`);
    }
  });

  it('declines what another document says (劳动合同法第四十条): no task 40, while the plan named by its title is read', () => {
    for (const q of ['劳动合同法第四十条是啥内容', '国务院关于加快发展养老服务业的若干意见里讲了啥', '党员教育管理工作条例里面讲流动党员那一章说了啥']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
    }
    // (the reply says which document is not the plan, without the words of asking before its name)
    expect(engine().ask('请问劳动合同法第四十条是啥内容').text).toMatch(/^「劳动合同法」不是这份分工方案/);
    const own = engine().ask(`《${loaded().plan.title}》第十条讲的啥`);
    expect(own.intent).toBe('task_detail');
    expect(own.tasks.map((t) => t.id)).toEqual([10]);
    // (释法说理 is no law)
    expect(engine().ask('工会帮劳动者和用人单位协商，做释法说理、劝解疏导的任务，是哪些单位').intent).toBe('responsibility');
  });
});

describe('a department asks for its tasks', () => {
  it('总工会 gets exactly its 42 tasks, grouped by section with counts', () => {
    const a = engine().ask('总工会有哪些任务?');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks).toHaveLength(42);
    expect(a.tasks.every((t) => t.departments.includes('总工会'))).toBe(true);
    expect(a.departments).toEqual(['总工会']);
    expect(a.text).toContain('共负责42项任务');
    expect(a.text).toMatch(/【一、总体要求】6项/);
  });

  it('残疾人保障 names no unit: a shortened name (人…保障 of 人力资源社会保障部门) does not begin inside 残疾人', () => {
    expect(engine().ask('残疾人保障的任务有哪些').departments).toEqual([]);
    // …while a unit's own shortening still does
    expect(engine().ask('人社保障的任务有哪些').departments).toEqual(['人社']);
  });

  it('对台账用 after the request is its purpose, not a topic (台账 is a word of the plan too)', () => {
    for (const q of ['总工会那边的任务是啥，对台账用', '总工会那边的任务是啥，对一下台账']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks, q).toHaveLength(loaded().plan.tasks.filter((t) => t.departments.includes('总工会')).length);
    }
  });

  it('a purpose said after the request with only a space (…都列出来 我们要做台账) is no topic either', () => {
    for (const q of ['总工会的活都列出来 我们要做台账', '总工会分了啥任务 我看看要不要报进度']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks, q).toHaveLength(loaded().plan.tasks.filter((t) => t.departments.includes('总工会')).length);
    }
  });

  it('someone who first says who they are (我是财政局预算科的，…) gets the unit they ask about; 我们 after it, or a list asked of no unit, is their own', () => {
    const tasksOf = (unit: string) => loaded().plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id);
    const court = engine().ask('我是财政局预算科的，帮我把涉及法院的条目都拉出来，要写落实情况报告');
    expect(court.intent).toBe('department_tasks');
    expect(court.departments).toEqual(['法院']);
    expect(court.tasks.map((t) => t.id)).toEqual(tasksOf('法院'));
    const own = engine().ask('我是总工会的，我们有哪些任务');
    expect(own.departments).toEqual(['总工会']);
    expect(own.tasks.map((t) => t.id)).toEqual(tasksOf('总工会'));
    // …or 本局 / 我局, as officials write of their own unit
    for (const q of ['我们是财政局的，想确认下本局有哪些任务', '我是财政局办公室的，领导让统计下我局的任务，麻烦列一下', '我们是财政这边的，领导让我把要配合的事项整理一下，麻烦列一下']) {
      expect(engine().ask(q).tasks.map((t) => t.id), q).toEqual(tasksOf('财政'));
    }
    // …and the office's own words are not a topic of its unit's list (劳动关系 of 劳动关系科)
    const office = engine().ask('我们是市人社局劳动关系科的，领导让我把所有跟我们局有关的条目整理个清单');
    expect(office.tasks.map((t) => t.id)).toEqual(tasksOf('人社'));
    // …but a part asked for after it is that part
    expect(engine().ask('我是财政局的，第二部分的任务列一下').intent).toBe('section_tasks');
  });

  it('someone who first says what kind of place they are (我们是一家事业单位，…) is asking about it: their situation is the topic', () => {
    const a = engine().ask('我们是一家事业单位，单位里也想建个调解组织，这事谁在推？');
    expect(a.intent).toBe('responsibility');
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('事业单位');
    // a company (公司) is no office (司): 一家小公司 is the asker's situation, the small firms' task
    const firm = engine().ask('我们是一家小公司，想建个调解组织，谁在推');
    expect(loaded().plan.tasks.find((t) => t.id === firm.tasks[0].id)?.text).toContain('小微');
  });

  it('a unit’s name alone before 的， (法院的，跟支付令有关的有哪些) is the unit asked about, not who is asking', () => {
    const a = engine().ask('法院的，跟支付令有关的有哪些');
    expect(a.intent).toBe('department_tasks');
    expect(a.departments).toEqual(['法院']);
    const about = unitTasksSaying('法院', '支付令');
    expect(about.length).toBeGreaterThan(0);
    expect(a.tasks.map((t) => t.id)).toEqual(about);
  });

  it('a unit asked for its tasks on a topic it holds none of (财政跟培训有关的) is told so, and shown the plan’s own task on it', () => {
    const [best] = engine().search('培训', 1);
    const task = loaded().plan.tasks.find((t) => t.id === best.id)!;
    expect(task.departments).not.toContain('财政');
    const a = engine().ask('财政跟培训有关的任务有哪些');
    expect(a.intent).toBe('department_tasks');
    expect(a.departments).toEqual(['财政']);
    expect(a.tasks).toEqual([]);
    expect(a.text).toContain('没有与「培训」相关的');
    expect(a.text).toContain(`第${task.id}项`);
  });

  it('a topic said right after the unit (政法委考核这块) narrows its list to the tasks about it', () => {
    const about = unitTasksSaying('政法委', '考核');
    expect(about.length).toBeGreaterThan(0);
    const a = engine().ask('政法委考核这块都有哪些条目');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
  });


  it('units said as the place where something is set up (总工会在仲裁院、法院设工作站那条) are not whose item is asked', () => {
    const a = engine().ask('总工会在仲裁院、法院设法律服务工作站那条是哪条');
    expect(a.intent).toBe('department_tasks');
    expect(a.departments).toEqual(['总工会']);
    expect(a.text).toMatch(/^总工会负责的/);
    // (…but a place alone is all there is to go by: 仲裁院里设调解中心 归谁 still reads 仲裁院's unit)
    expect(engine().ask('仲裁院里设调解中心的事归谁').departments).toContain('人社');
  });

  it('one item already known, and the rest asked for (考核那条我们知道，还有别的吗), gets the whole list, not that item', () => {
    const all = loaded().plan.tasks.filter((t) => t.departments.includes('政法委')).map((t) => t.id);
    expect(unitTasksSaying('政法委', '考核').length).toBeLessThan(all.length);
    const a = engine().ask('政法委有哪些任务？考核那条我们知道，还有别的吗');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(all);
    // (…but 还是还有别的 after a unit asks who else holds one task)
    expect(engine().ask('支付令是法院一家管还是还有别的').intent).toBe('responsibility');
  });
  it('who holds them, asked after a unit’s items (…相关的任务有哪些，谁负责 / who’s in charge), gets the items, each with its units', () => {
    const about = unitTasksSaying('政法委', '考核');
    for (const q of ['政法委考核相关的任务有哪些，谁负责', "政法委 考核 相关的任务有哪些 who's in charge"]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
      // (a task of every unit says so: 全部9个部门)
      for (const id of about) expect(a.text.split('\n').find((l) => l.startsWith(`第${id}项`))).toMatch(/（(?:.*政法委.*|全部\d+个部门)）$/);
    }
    // (…but one item asked for, 是第几条，谁负责, is the who-question it was)
    expect(engine().ask('法院在调解和诉讼衔接上发挥司法引领保障作用，是第几条，谁负责').intent).toBe('responsibility');
  });

  it('a topic framed as such (跟培训沾边的) narrows the list, whatever story is told before it (明天局里开调度会，我得汇报…)', () => {
    const about = unitTasksSaying('政法委', '考核');
    const a = engine().ask('明天局里开调度会，我得汇报政法委这块跟考核沾边的任务，有哪几条？');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
    // (the 和 of 和解 is the topic's, not a word joining it to the unit)
    const settlement = engine().ask('总工会和解协议相关的是哪条');
    const text = (id: number) => loaded().plan.tasks.find((t) => t.id === id)!.text;
    expect(settlement.tasks.length).toBeGreaterThan(0);
    expect(settlement.tasks.every((t) => text(t.id).includes('和解'))).toBe(true);
  });

  it('units named in a story before 这个找哪个单位 are the story’s, not whose list is asked (跑劳动局、再跑法院、再跑司法所…)', () => {
    const a = engine().ask('员工讨薪要先跑劳动局、再跑法院、再跑司法所，一个事跑好几个窗口。能不能搞一个窗口全收、后台转办？这个找哪个单位？');
    expect(a.intent).toBe('responsibility');
    // …while a list asked of them is a list
    expect(engine().ask('法院和司法所都有哪些任务').intent).toBe('department_tasks');
  });

  it('这是哪家的职责 after a story that names a unit asks who, while 工会的职责 asks for its list', () => {
    for (const q of ['工会帮我们把谈好的内容签成书面协议，这是哪家的职责？', '听说工会能帮职工把调解协议落实到位，这是谁的任务'])
      expect(engine().ask(q).intent, q).toBe('responsibility');
    expect(engine().ask('工会的职责').intent).toBe('department_tasks');
  });

  it('人社 asks how many (有几项) and hears 48', () => {
    const a = engine().ask('人社局有几项任务');
    expect(a.tasks).toHaveLength(48);
    expect(a.text).toContain('48项');
  });

  it('财政 and 工信 together get only the tasks they share', () => {
    const a = engine().ask('财政和工信共同负责哪些任务');
    expect(a.intent).toBe('department_tasks');
    const expected = loaded().plan.tasks.filter((t) => t.departments.includes('财政') && t.departments.includes('工信')).map((t) => t.id);
    expect(a.tasks.map((t) => t.id)).toEqual(expected);
    expect(a.text).toContain(`共同负责的任务共${expected.length}项`);
  });

  it('long lists are split into chunks under the channel limit (WeCom 2048 bytes, Telegram 4096 chars)', () => {
    const wecom = engine().ask('人社有哪些任务', { limit: { max: 2048, measure: 'bytes' } });
    expect(wecom.chunks.length).toBeGreaterThan(1);
    for (const c of wecom.chunks) expect(new TextEncoder().encode(c).length).toBeLessThanOrEqual(2048);
    expect(wecom.chunks.join('\n')).toBe(wecom.text);
    const telegram = engine().ask('人社有哪些任务', { limit: { max: 4096, measure: 'chars' } });
    for (const c of telegram.chunks) expect([...c].length).toBeLessThanOrEqual(4096);
  });

  it('recognises aliases, colloquial names and a near miss (劳动局, 司法局, 总工汇)', () => {
    expect(engine().resolveDepartments('劳动局')).toEqual(['人社']);
    expect(engine().resolveDepartments('司法局和财政厅')).toEqual(['司法行政', '财政']);
    expect(engine().resolveDepartments('总工汇有哪些任务')).toEqual(['总工会']);
    expect(engine().resolveDepartments('企业代表组织')).toEqual(['工商联', '企联']);
    expect(engine().resolveDepartments('和解让步在仲裁能不能用')).toEqual([]);
  });

  it('asks politely (…的任务帮我捋一下): 帮我 is a request to the bot, not a topic to narrow the list by', () => {
    const a = engine().ask('总工会那边的任务帮我捋一下');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(loaded().plan.tasks.filter((t) => t.departments.includes('总工会')).map((t) => t.id));
  });
});

describe('asking by task number or section', () => {
  /** Every task of the subsection that holds the task saying `word`, in order. */
  const subsectionHolding = (word: string) => {
    const { tasks } = loaded().plan;
    const sub = tasks.find((t) => t.text.includes(word))!.subsection;
    return tasks.filter((t) => t.subsection === sub).map((t) => t.id);
  };

  it('第46项是什么 → the full task', () => {
    const a = engine().ask('第46项是什么?');
    expect(a.intent).toBe('task_detail');
    expect(a.tasks.map((t) => t.id)).toEqual([46]);
    expect(a.text).toContain('依法落实支付令制度');
  });

  it('a number in any writing, with only a request for its content after it, is that task (四十条说的啥, 28 是啥任务)', () => {
    for (const [q, id] of [['四十条说的啥', 40], ['28 是啥任务', 28], ['No.59 what\'s that', 59], ['第二十九项是什么', 29]] as const) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('task_detail');
      expect(a.tasks.map((t) => t.id), q).toEqual([id]);
    }
  });

  it('第99项 → a clear out-of-range answer naming 1–61, and no task — however long the number', () => {
    for (const q of ['第99项', '第99999999999项是什么']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('task_detail');
      expect(a.tasks, q).toEqual([]);
      expect(a.text, q).toContain('1–61');
    }
  });

  it('(十七)有哪些任务 → tasks 47 and 48; 加强源头治理包括哪些任务 → tasks 7–16', () => {
    expect(engine().ask('(十七)有哪些任务').tasks.map((t) => t.id)).toEqual([47, 48]);
    const a = engine().ask('加强源头治理包括哪些任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(engine().ask('第六部分').tasks).toHaveLength(15);
  });

  it('第五部分分了几个小节 → the part, saying how many subsections it has and listing each', () => {
    const part = loaded().plan.sections[4];
    const subs = loaded().plan.subsections.filter((s) => s.section === part.index);
    const a = engine().ask('第五部分分了几个小节');
    expect(a.intent).toBe('section_tasks');
    expect(a.text).toContain(`分${subs.length}个小节`);
    for (const sub of subs) expect(a.text).toContain(sub.title);
  });

  it('a part said by where it stands beside another (源头治理后面那一大块, 调解员队伍那节后面紧挨着的那一小节)', () => {
    const { sections, subsections, tasks } = loaded().plan;
    const of = (ref: { kind: string; index: number }) => tasks.filter((t) => (ref.kind === 'section' ? t.section : t.subsection) === ref.index).map((t) => t.id);
    const after = sections[sections.findIndex((x) => x.title.includes('源头治理')) + 1];
    for (const q of ['加强源头治理后面那一大块有哪些任务', '紧跟在加强源头治理后面那个部分，有哪些任务', '讲协商和解的那个部分，就是源头治理后面那个，任务列全'])
      expect(engine().ask(q).tasks.map((t) => t.id), q).toEqual(of({ kind: 'section', index: after.index }));
    // …with what the part is about said too (那个讲协商和解的部分), after two titles
    expect(engine().ask('健全组织领导、加强源头治理后面那个讲协商和解的部分，一共有哪些任务？').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: after.index }));
    // (…said before the demonstrative: 源头治理后面讲协商的那块)
    expect(engine().ask('源头治理后面讲协商的那块有哪些任务').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: after.index }));
    const before = sections[sections.findIndex((x) => x.title.includes('提升服务能力')) - 1];
    expect(engine().ask('提升服务能力前面的那个部分，任务列一下').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: before.index }));
    // (quotes around a title or a part's number say nothing: “提升服务能力”前面那一大块, “三、”那块)
    expect(engine().ask('“提升服务能力”前面那一大块，里面的任务都有哪些').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: before.index }));
    expect(engine().ask('“三、”那块下面的任务都列一下').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: after.index }));
    // …or between two named (夹在源头治理和多元调解之间那部分)
    expect(engine().ask('夹在源头治理和多元调解之间那部分有哪些任务').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: after.index }));
    // …or counted from either end with what it is about said between (最前面那个讲…的大块, 最前面讲…的那个部分)
    expect(engine().ask('最前面那个讲指导思想和基本原则的大块，帮我列一下任务').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: sections[0].index }));
    expect(engine().ask('把最前面讲指导思想和基本原则的那个部分的全部任务发我').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: sections[0].index }));
    expect(engine().ask('最后那个讲调解员队伍和经费保障的部分有哪些任务').tasks.map((t) => t.id)).toEqual(of({ kind: 'section', index: sections.at(-1)!.index }));
    const next = subsections[subsections.findIndex((x) => x.title.includes('调解员队伍')) + 1];
    expect(engine().ask('调解员队伍那节后面紧挨着的那一小节').tasks.map((t) => t.id)).toEqual(of({ kind: 'subsection', index: next.index }));
  });

  it('a part’s tasks asked for with their units (调解员队伍那一小块有哪些任务，牵头单位是谁) is that part, which names them', () => {
    const { subsections, tasks } = loaded().plan;
    const sub = subsections.find((x) => x.title.includes('调解员队伍'))!;
    for (const q of ['调解员队伍那一小块有哪些任务，牵头单位是谁', '下午开会要用，调解员队伍那一节，所有任务和牵头单位发我一下', '调解员队伍这块一共多少条？都列出来，带上牵头单位']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasks.filter((t) => t.subsection === sub.index).map((t) => t.id));
    }
    // (but whose one task it is, asked of a piece of work, is a who-question)
    expect(engine().ask('调解员培训这块是哪个单位的任务呢').intent).toBe('responsibility');
  });

  it('a part’s title typed alone, as into a search box (加强源头治理), is that part; a heading of four characters (指导思想) a topic', () => {
    const { sections, tasks } = loaded().plan;
    const part = sections.find((x) => x.title === '加强源头治理')!;
    const a = engine().ask('加强源头治理');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.section === part.index).map((t) => t.id));
    expect(engine().ask('指导思想').intent).toBe('responsibility');
  });

  it('a part said by the work it runs from and to (从支付令到诉调对接的那一节) is the smallest part holding both', () => {
    const a = engine().ask('从支付令一直到诉调对接的那一节，全部任务给我');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(subsectionHolding('支付令'));
  });

  it('a unit named only as who will look at a part (财政那边要看, 明天去法院督查, 政法委要开会) does not narrow the part to its tasks', () => {
    const { subsections, tasks } = loaded().plan;
    const of = (word: string) => tasks.filter((t) => t.subsection === subsections.find((x) => x.title.includes(word))!.index).map((t) => t.id);
    expect(engine().ask('经费保障那一小节，财政那边要看，发下任务号').tasks.map((t) => t.id)).toEqual(of('工作经费'));
    expect(engine().ask('明天去法院督查，调解员队伍那一节所有任务列一下').tasks.map((t) => t.id)).toEqual(of('调解员队伍'));
    expect(engine().ask('明天政法委要开会，调解员队伍那块的任务都调一下').tasks.map((t) => t.id)).toEqual(of('调解员队伍'));
    // (a part by number too: 第二部分有哪些任务，我们人社局要对一下)
    const second = tasks.filter((t) => t.section === 2).map((t) => t.id);
    expect(engine().ask('第二部分有哪些任务，我们人社局要对一下').tasks.map((t) => t.id)).toEqual(second);
    // (a unit in the clause that asks is whose tasks in the part are wanted)
    expect(engine().ask('调解员队伍那一节里财政的任务').intent).toBe('department_tasks');
  });

  it('a unit inside the description of a part (讲工会设协商室、社会力量协商咨询代理的那一节) describes it, not whose list is asked', () => {
    const a = engine().ask('讲工会设协商室、社会力量开展协商咨询代理服务的那一节，全部任务是哪些');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(subsectionHolding('协商室'));
  });

  it('那个小块 described by what it holds is that subsection (讲网上办、掌上办、数据共享的那个小块)', () => {
    const sub = loaded().plan.subsections.find((s) => s.title.includes('智慧'))!;
    const a = engine().ask('讲网上办、掌上办、数据共享的那个小块有哪些任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(loaded().plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id));
  });

  it('a 部分 described by examples from several of its subsections (争议预防、风险监测预警和隐患排查的那一部分) is that part', () => {
    const part = loaded().plan.sections.find((x) => x.title.includes('源头治理'))!;
    const a = engine().ask('讲争议预防、风险监测预警和隐患排查的那一部分有哪些任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(loaded().plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
  });

  it('a 部分 described by examples of its subsections, however they are joined (和解协议, …还有落实责任, a unit inside one)', () => {
    const { sections, tasks } = loaded().plan;
    const of = (word: string) => {
      const part = sections.find((x) => x.title.includes(word))!;
      return tasks.filter((t) => t.section === part.index).map((t) => t.id);
    };
    // (two joined by 和 in a description: 讲一窗式受理和重大争议应急联合调处机制的那一节 — the subsection they share)
    expect(engine().ask('讲一窗式受理和重大争议应急联合调处机制的那一节，任务都有哪些').tasks.map((t) => t.id)).toEqual(subsectionHolding('一窗式'));
    // (和 of 和解协议 is the word's, not a joining word; 还有 joins the last two; 仲裁院调解中心 is one subsection of several)
    for (const [q, word] of [
      ['讲内部协商机制、和解协议履行的那一部分，所有任务帮我梳理下', '协商和解'],
      ['讲调解员队伍、智慧调解、经费保障还有落实责任的那部分，全部任务是哪些', '提升服务能力'],
      ['讲调解组织建设、仲裁院调解中心、调解规范化的那个部分，任务清单有吗', '多元调解'],
    ]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(of(word));
    }
  });

  it('a whole part described by what it holds (…签和解协议的那一大部分) is that part, though the description says 单位', () => {
    const part = loaded().plan.sections.find((x) => x.title.includes('协商和解'))!;
    const a = engine().ask('劳动者和单位先自己坐下来谈、谈成了签和解协议的那一大部分，所有任务都列出来');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(loaded().plan.tasks.filter((t) => t.section === part.index).map((t) => t.id));
  });

  it('a part named with units inside its title, or by one word only its title has (那一大部分: the part, not a subsection)', () => {
    expect(engine().ask('仲裁院调解中心和工会法律服务工作站那一节包括哪些').tasks.map((t) => t.id)).toEqual([28, 29]);
    // …or in other words around the units
    expect(engine().ask('仲裁院里设调解中心、工会进驻工作站的那一小节有哪些').tasks.map((t) => t.id)).toEqual([28, 29]);
    expect(engine().ask('从源头上预防争议那一大部分有哪些条目').tasks.map((t) => t.id)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('…but a unit whose name a title holds, with items counted and no part pointed at (总工会那边跟劳动法律监督有关的是哪几条), asks for its list', () => {
    const about = unitTasksSaying('总工会', '劳动法律监督');
    expect(about.length).toBeGreaterThan(0);
    const a = engine().ask('总工会那边跟劳动法律监督有关的是哪几条');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(about);
  });

  it('a subsection by its number with its title said after it (（十一）那一节，仲裁院调解中心和工会…): the subsection, not a unit’s tasks in it', () => {
    const a = engine().ask('（十一）那一节，仲裁院调解中心和工会法律服务工作站，下面的任务是哪些');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual([28, 29]);
    // …but a unit asked about within it is asked about
    const b = engine().ask('第十一小节里工会的任务');
    expect(b.intent).toBe('department_tasks');
    expect(b.tasks.map((t) => t.id)).toEqual([29]);
  });

  it('第二部分第一小节 is the first subsection of part two, (四), in a plan that numbers subsections through', () => {
    expect(engine().ask('第二部分第一小节有哪些').tasks.map((t) => t.id)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(engine().ask('第四部分第五小节').text).toContain('没有第五小节');
    expect(engine().ask('最后一部分有哪些').tasks).toHaveLength(15);
    expect(engine().ask('倒数第二个小节').tasks.map((t) => t.id)).toEqual([51, 52]);
    // a part by its title and a list word is that part, not a subsection sharing the list word (总体要求 …任务, 目标任务)
    const first = loaded().plan.sections[0];
    expect(engine().ask(`${first.title}部分有哪些任务`).tasks.map((t) => t.id)).toEqual(loaded().plan.tasks.filter((t) => t.section === first.index).map((t) => t.id));
    // a part by its title with 部分 or 一节 after it, and the part of a task asked for (…那条是哪个小节里的)
    const { subsections, tasks } = loaded().plan;
    const last = loaded().plan.sections.at(-1)!;
    expect(engine().ask(`${last.title} 部分`).tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.section === last.index).map((t) => t.id));
    expect(engine().ask(`${subsections[0].title}一节`).tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.subsection === subsections[0].index).map((t) => t.id));
    // a subsection's title said whole with a unit that is no list asked for (…那一节，财政给钱的那个)
    const funds = subsections.find((s) => s.title.includes('经费'))!;
    expect(engine().ask(`${funds.title}那一节，财政给钱的那个`).tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.subsection === funds.index).map((t) => t.id));
    const training = tasks.find((t) => t.id === 48)!;
    expect(engine().ask('调解员培训那条是哪个小节里的？把那小节都发下').tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.subsection === training.subsection).map((t) => t.id));
    // a part number the plan does not have but a subsection it prints (section 12: in English a subsection too)
    const twelve = subsections.find((s) => s.no === '十二')!;
    expect(engine().ask('section 12 有哪些tasks').tasks.map((t) => t.id)).toEqual(tasks.filter((t) => t.subsection === twelve.index).map((t) => t.id));
    expect(engine().ask('第九十部分有哪些').text).toContain('方案没有第九十部分');
    // the last subsection of a part named
    const { plan } = loaded();
    const lastOfFive = plan.subsections.filter((s) => s.section === 5).at(-1)!;
    expect(engine().ask('第五部分最后一个小节内容').tasks.map((t) => t.id)).toEqual(plan.tasks.filter((t) => t.subsection === lastOfFive.index).map((t) => t.id));
  });

  it('names a task by its number loosely, or with what it is about, and is shown that task', () => {
    expect(engine().ask('帮我看下第七点').tasks.map((t) => t.id)).toEqual([7]);
    expect(engine().ask('四八条 谢谢').tasks.map((t) => t.id)).toEqual([48]);
    // the rest of the message is checked against the task: the plan's own words for task 12, or another task's
    const own = loaded().plan.tasks.find((t) => t.id === 12)!.text.slice(0, 14);
    const a = engine().ask(`十二条说的是${own}吗`);
    expect(a.intent).toBe('task_detail');
    expect(a.tasks.map((t) => t.id)).toEqual([12]);
    expect(engine().ask('十二条说的是调解员培训吗').tasks.map((t) => t.id)).not.toContain(12);
    // the last item, and a task said with its part (第三部分那个20)
    const last = loaded().plan.tasks.at(-1)!.id;
    expect(engine().ask('最后一条是关于啥').tasks.map((t) => t.id)).toEqual([last]);
    expect(engine().ask('头一条是啥').tasks.map((t) => t.id)).toEqual([loaded().plan.tasks[0].id]);
    // its content asked at once, then a recollection in words of another task (…讲的是什么体制来着)
    expect(engine().ask('四十项讲的是什么调解员来着').tasks.map((t) => t.id)).toEqual([40]);
    const inPartThree = loaded().plan.tasks.filter((t) => t.section === 3).at(-1)!.id;
    expect(engine().ask(`第三部分那个${inPartThree}`).tasks.map((t) => t.id)).toEqual([inPartThree]);
    // 款 as the counter, its work asked for (是谁的活), a follow-up with bare digits, 点 opening the message, a few
    // words recalling which one it is, and a later clause pointing back at it
    const said: Array<[string, number]> = [
      ['第十一款主要讲什么', 11],
      ['六十项是谁的活', 60],
      ['那59呢 发我看看', 59],
      ['二十三點是講什麼的', 23],
      ['十九条工会那个是啥内容来着', 19],
      ['市里督查要问四十一条的进展，先把这条原文给我', 41],
      // 幺 for 一 as digits are read out, 向 for 项, who does it asked of the number alone
      ['幺八那条说的啥', 18],
      ['第三十八向要干啥', 38],
      ['四十二 谁牵头的嘞', 42],
    ];
    for (const [question, n] of said) expect(engine().ask(question).tasks.map((t) => t.id), question).toEqual([n]);
    // a subsection said with a sound-alike of 节 (第十小结, 第十二姐) is that subsection
    for (const typed of ['第十小结有哪些任务', '第十二姐有哪些任务']) {
      const asked = engine().ask(typed);
      expect(asked.intent, typed).toBe('section_tasks');
      expect(asked.tasks.map((t) => t.id), typed).toEqual(engine().ask(typed.replace(/小结|姐/, '小节')).tasks.map((t) => t.id));
    }
    // …but a time is no item (下午三点开会), nor 这条 without a number before it
    expect(engine().ask('下午三点开会讨论这条原文').intent).not.toBe('task_detail');
    // …and a number pointed at and asked who does it is that task (46号那条是谁负责的, 46号谁管: 那条 is no other subject)
    for (const q of [`${last}号那条是谁负责的`, `${last}号谁管`]) expect(engine().ask(q).tasks.map((t) => t.id), q).toEqual([last]);
    // …while a number of 点 no clock shows is one (35点原文发我)
    const late = loaded().plan.tasks.find((t) => t.id > 24)!.id;
    expect(engine().ask(`${late}点原文发我`).tasks.map((t) => t.id)).toEqual([late]);
  });

  it('several task numbers asked at once (46、47是什么, 第46项和第47项分别是谁负责, 46到48项) are each answered in full', () => {
    const [a, b, c] = loaded().plan.tasks.slice(-3).map((t) => t.id);
    for (const [q, ids] of [
      [`${a}、${b}是什么`, [a, b]],
      [`第${a}项和第${b}项分别是谁负责`, [a, b]],
      [`${a}到${c}项`, [a, b, c]],
    ] as const) {
      const reply = engine().ask(q);
      expect(reply.intent, q).toBe('task_detail');
      expect(reply.tasks.map((t) => t.id), q).toEqual(ids);
      for (const id of ids) expect(reply.text, q).toContain(`第${id}项`);
    }
    // …and items counted from the end, alone or beside a number (第一项和最后一项, 倒数第二项: not the second)
    const ids = loaded().plan.tasks.map((t) => t.id);
    expect(engine().ask('第一项和最后一项分别是什么').tasks.map((t) => t.id)).toEqual([ids[0], c]);
    expect(engine().ask('倒数第二项是什么').tasks.map((t) => t.id)).toEqual([b]);
    // …and the first or last few however their text is asked for: words that name nothing of the plan only ask
    for (const [q, want] of [
      ['最后三项任务给我列一列', ids.slice(-3)],
      ['领导让我核一下最后三条任务，发我看看', ids.slice(-3)],
      ['把前5条拉出来看看', ids.slice(0, 5)],
    ] as const) {
      const reply = engine().ask(q);
      expect(reply.intent, q).toBe('task_detail');
      expect(reply.tasks.map((t) => t.id), q).toEqual(want);
    }
    // (a unit or a topic beside them asks something else of them)
    for (const q of ['前三条都是财政的吗', '前三条里哪条讲培训']) expect(engine().ask(q).intent, q).not.toBe('task_detail');
    // …but a number beside something else asked is not a list of tasks (第三部分和第四部分, 2022年10月和11月)
    expect(engine().ask('第三部分和第四部分有哪些任务').intent).not.toBe('task_detail');
  });

  it('whole numbers in Chinese apart by spaces are a list (二十八 二十九 三十这三条), a number said in pieces is one (第十 九 项)', () => {
    expect(engine().ask('二十八 二十九 三十这三条分别谁负责').tasks.map((t) => t.id)).toEqual([28, 29, 30]);
    expect(engine().ask('第十 九 项').tasks.map((t) => t.id)).toEqual([19]);
  });

  it('a range written with a tilde (46~48, 第46～48条) is the tasks between', () => {
    const [a, b, c] = loaded().plan.tasks.slice(-3).map((t) => t.id);
    for (const q of [`${a}~${c}`, `第${a}～${c}条`]) expect(engine().ask(q).tasks.map((t) => t.id), q).toEqual([a, b, c]);
  });

  it('an item counted within a numbered part (第二部分第3项, 第2部分的第三条) is that part’s third task', () => {
    const plan = loaded().plan;
    const second = plan.tasks.filter((t) => t.section === plan.sections[1].index).map((t) => t.id);
    expect(second.includes(3)).toBe(false);
    for (const q of ['第二部分第3项', '第2部分的第三条']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('task_detail');
      expect(a.tasks.map((t) => t.id), q).toEqual([second[2]]);
    }
    // …and a task of the part said by its own number is that task
    expect(engine().ask(`第二部分第${second[1]}项`).tasks.map((t) => t.id)).toEqual([second[1]]);
  });

  it('a part pointed at by what its tasks are about is found however weakly each task is ranked (开头讲大方向、原则和目标的那一整大块)', () => {
    const first = loaded().plan.tasks.filter((t) => t.section === loaded().plan.tasks[0].section).map((t) => t.id);
    const a = engine().ask('方案最开头讲大方向、原则和目标的那一整大块，把任务编号都列给我');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(first);
  });

  it('the dashboard search box finds 48 for 调解员培训', () => {
    expect(engine().search('调解员培训', 5)[0].id).toBe(48);
    expect(engine().parseTaskNumber('第四十八项')).toBe(48);
  });
});

describe('greetings', () => {
  it.each(['你好', '帮助', '你能做什么'])('%s → help with examples', (q) => {
    const a = engine().ask(q);
    expect(a.intent).toBe('help');
    expect(a.tasks).toEqual([]);
    // The examples are made from the plan, and each is answered (none is refused).
    const examples = a.text.split('\n').filter((l) => l.startsWith('· ')).map((l) => l.slice(2));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const e of examples) expect(engine().ask(e).intent, e).not.toMatch(/unknown|help/);
  });

  it('这个机器人怎么用 asks for help, but a 手术机器人 in a question is a thing the plan may cover', () => {
    // (however strongly the plan's own words match: 使用 is the plan's word too)
    for (const q of ['这个机器人怎么用', '机器人能回答啥', '小助手怎么用', '怎么使用这个机器人', '这个机器人怎么使用']) expect(engine().ask(q).intent, q).toBe('help');
    // (帮我做什么 asks what the bot can do, not for a service: 帮我写一份调解协议 is one)
    expect(engine().ask('你好 督办助手你能帮我做什么？第一次用').intent).toBe('help');
    expect(engine().ask('帮我写一份调解协议').intent).toBe('unknown');
    for (const q of ['想把手术机器人拿去展会展出，手续谁负责', '工业机器人进厂以后工人的培训谁负责']) expect(engine().ask(q).intent, q).not.toBe('help');
  });

  it('thanks, an acknowledgement or 在吗 (收到，谢谢督办助手👍, 好的 辛苦了, ok thanks, 你好，在吗) gets a word back, not "not found" nor the help', () => {
    for (const [q, word] of [['收到，谢谢督办助手👍', '不客气'], ['好的谢谢哈 辛苦了', '不客气'], ['好的收到', '好的'], ['谢谢', '不客气'], ['ok thanks', '不客气'], ['你好，在吗', '在的'], ['在吗 在线不', '在的']]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
      expect(a.text.startsWith(`${word}，有问题`), q).toBe(true);
    }
    // (read word by word: a message of 140 好的 and one other word is no thanks, and is read at once —
    // one pattern of overlapping words took twice as long with each 好的 more)
    expect(engine().ask(`${'好的'.repeat(140)}税`).text).not.toContain('有问题随时问我');
    // …while a request said with thanks is still the request
    expect(engine().ask('四十八条 谢谢').tasks.map((t) => t.id)).toEqual([48]);
    expect(engine().ask('总工会的任务清单发我一下，谢谢').intent).toBe('department_tasks');
  });
});

describe('questions the plan cannot answer precisely', () => {
  it('a personal-affairs question (怎么申请劳动仲裁, 财政局今年预算多少) gets the honest answer and no department', () => {
    for (const q of ['怎么申请劳动仲裁', '财政局今年预算多少', '人社局的电话是多少', '仲裁院调解中心具体在哪个位置', '工会法律服务站在几楼', '仲裁院周六开不开门', '调解中心那个主任叫什么名字', '评先进时调解工作能加几分', '调解委员会的委员至少几个人']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.departments, q).toEqual([]);
    }
  });

  it('a unit’s address, a date or which office to go to is no request for the unit’s tasks', () => {
    for (const q of ['总工会的办公地址和电话发我一下', '工商联在哪，地址发一下']) {
      const a = engine().ask(q);
      expect(a.intent, q).not.toBe('department_tasks');
      expect(a.tasks, q).toEqual([]);
    }
    // which of two units to take one's case to: at most the one task about that case, never the units' lists
    const a = engine().ask('欠薪的事该找总工会还是找人社局');
    expect(a.intent).not.toBe('department_tasks');
    expect(a.tasks.slice(0, 1).map((t) => t.id)).toEqual(a.intent === 'responsibility' ? [15] : []);
  });

  it('deadline快到了 says why the asker is in a hurry, not what is asked: answered; 上报进度的deadline是哪天 is declined', () => {
    expect(engine().ask('总工会 调解员培训 那条是哪条？deadline快到了').tasks.map((t) => t.id)).toContain(48);
    expect(engine().ask('各单位上报进度的deadline是哪天').tasks).toEqual([]);
  });

  it('what the law says (有没有法律效力, 有没有规定) or what one can still claim (还能…吗/不) is declined; who handles it is answered', () => {
    for (const q of ['调解协议经过司法确认以后有没有法律效力', '仲裁调解书不履行的话还能申请强制执行吗', '支付令被驳回了我还能起诉不', '基层调解组织有没有规定必须设在街道']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
    }
    expect(engine().ask('调解协议司法确认谁负责').intent).toBe('responsibility');
  });

  it('a fact that seems asked inside the work described (能不能直接…), then 这个谁负责, is a who-question; alone it is declined', () => {
    expect(engine().ask('调解协议能不能直接申请司法确认').intent).toBe('unknown');
    const a = engine().ask('调解协议能不能直接申请司法确认，这个谁负责');
    expect(a.intent).toBe('responsibility');
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('司法确认');
  });

  it('有没有部门… asks which unit does the work, as 谁 does: answered with its task', () => {
    const a = engine().ask('工资已经拖了两个月，有没有部门会下去挨家摸底、把拖欠工资的隐患提前处理掉？');
    expect(a.intent).toBe('responsibility');
    // (the task on 欠薪 among the first two: the ranking fitted with task length puts the shorter 隐患协同治理 first)
    const text = (id: number) => loaded().plan.tasks.find((t) => t.id === id)?.text ?? '';
    expect(a.tasks.slice(0, 2).some((t) => text(t.id).includes('欠薪'))).toBe(true);
    expect(text(a.tasks[0].id)).toContain('隐患');
  });

  it('the words of asking typed by sound (哪个不门, 谁千头, 找谁父责) are read as 部门, 牵头, 负责: the question is answered', () => {
    const a = engine().ask('工资拖了三个月想申请支付令，该找哪个不门？');
    expect(a.intent).toBe('responsibility');
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('支付令');
    // …but not a word that only sounds near them (哪个部分 asks for a part)
    expect(engine().analyze('哪个部分讲支付令').normalized).toContain('部分');
  });

  it('a court’s order to pay, as people describe it (让法院下个命令催他付钱), is the 支付令 the plan names', () => {
    const a = engine().ask('工资拖着不给，让法院发个命令催他付钱，这个谁负责');
    expect(a.intent).toBe('responsibility');
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('支付令');
  });

  it('…归哪个部门 finds the same task as …谁负责: the words asking for a unit are not what the task is about', () => {
    const topic = '事业单位和社会团体加强调解组织建设这块';
    const first = (q: string) => engine().ask(q).tasks[0]?.id;
    expect(loaded().plan.tasks.find((t) => t.id === first(`${topic}谁负责`))?.text).toContain('事业单位、社会团体加强调解组织建设');
    // (a task saying 人力资源社会保障部门 is no nearer for 部门 asked)
    expect(first(`${topic}归哪个部门`)).toBe(first(`${topic}谁负责`));
  });

  it('谁 typed as its sound-alike 水 where only a question word fits (找水？, 这事水管啊) is a who-question; 水管 as a pipe is not 谁管', () => {
    for (const q of ['工资拖了三个月，想申请支付令，这种事找水？', '想申请支付令，这事水管啊']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text, q).toContain('支付令');
    }
    expect(engine().analyze('铺水管的钱谁管').understood).toContain('水管');
  });

  it('materials or a duration asked for (要带哪些材料, 要几年) are facts the plan lacks; the same words in a story are not', () => {
    expect(engine().ask('申请调解要带哪些材料').intent).toBe('unknown');
    expect(engine().ask('科长让我整理材料，调解员培训这条是谁负责的').intent).toBe('responsibility');
    // likewise 几年 told (干了几年) is no duration asked (要几年), and 帮我查下 / 帮我们 ask nothing of the bot's own
    expect(engine().ask('干了几年调解员了，调解员培训这条是谁负责的').intent).toBe('responsibility');
    expect(engine().ask('调解员培训的牵头单位帮我查下').intent).toBe('responsibility');
    expect(engine().ask('调解组织建设要几年完成').intent).toBe('unknown');
    // 多少 in 用掉多少来… describes a quantity, it asks none
    expect(engine().ask('调解经费按实际用掉多少来报销，这条是谁负责').intent).toBe('responsibility');
  });

  it('a unit the plan does not have (公安局有哪些任务) is said to be none of its units, which are named', () => {
    const unit = ['公安局', '海事局', '气象局'].find((u) => !loaded().registry.mentionedIn(u).length)!;
    const a = engine().ask(`${unit}有哪些任务`);
    expect(a.intent).toBe('unknown');
    expect(a.tasks).toEqual([]);
    expect(a.text).toContain(`没有「${unit}」`);
    for (const name of loaded().registry.names) expect(a.text).toContain(name);
    // a unit it has is answered as ever
    expect(engine().ask(`${loaded().registry.names[0]}有哪些任务`).intent).toBe('department_tasks');
  });

  it('text work asked of the bot (把第N条翻译成英文, 改写成汇报材料, 缩成三句话) is declined, not answered with that task', () => {
    const n = loaded().plan.tasks.at(-1)!.id;
    for (const q of [`把第${n}条翻译成英文发我`, `帮我把第${n}项改写成一段汇报材料`, `pls translate 第二部分 into English`, `把第二部分缩成三句话发领导`]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('unknown');
      expect(a.tasks, q).toEqual([]);
    }
    expect(engine().ask(`第${n}条是什么`).intent).toBe('task_detail');
  });

  it('a one-word topic that runs through the whole plan (调解) asks for something more specific', () => {
    const a = engine().ask('调解');
    expect(a.text).toContain('请说得具体一些');
    expect(a.departments).toEqual([]);
    expect(a.tasks.length).toBeGreaterThanOrEqual(6);
  });

  it('a broad topic asked for one department keeps to that department’s tasks (司法厅在调解方面要做啥 → 第57项 among the first)', () => {
    const a = engine().ask('司法厅在调解方面要做啥');
    // (its own task on mediation, 第57项, and the long one on mediation and arbitration, 第43项, lead the list)
    expect(a.tasks.slice(0, 2).map((t) => t.id)).toContain(57);
    expect(a.tasks.every((t) => t.departments.includes('司法行政'))).toBe(true);
  });

  it('a yes/no question about a department says whether it is responsible', () => {
    expect(engine().ask('总工会负责调解员培训吗').text).toContain('总工会是第48项的责任部门之一');
    expect(engine().ask('财政负责调解员培训吗').text).toContain('财政不在第48项的责任部门中');
  });
});

describe('questions about the plan as a whole', () => {
  it('各部门分别负责几项任务 → counts per department and per section, no task list', () => {
    const a = engine().ask('各部门分别负责几项任务');
    expect(a.intent).toBe('help');
    expect(a.tasks).toEqual([]);
    expect(a.text).toContain('方案共61项任务，分6个部分、20个小节');
    expect(a.text).toContain('人社48项、总工会42项');
    expect(a.text).toContain('四、做实多元调解（14项）');
  });

  it('哪个部门任务最多 → the counts per department, though it asks which unit', () => {
    for (const q of ['哪个部门任务最多', '谁的任务最多']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.text, q).toContain('各部门负责的任务数：');
    }
    // …and so do 各部门任务数, 每个单位分别几项, whatever else the plan's words would rank
    for (const q of ['各部门任务数', '每个单位分别几项']) expect(engine().ask(q).text, q).toContain('各部门负责的任务数：');
    // …while 哪个部门负责调解员培训 is a who-question
    expect(engine().ask('哪个部门负责调解员培训').intent).toBe('responsibility');
  });

  it('方案有几个部分 → the overview of the parts, though a task says 部分 too', () => {
    const parts = loaded().plan.sections.length;
    for (const q of ['方案有几个部分', '一共分几个部分', '这个方案分成几个部分啊', '总共有几大块', '方案分几个板块', 'give me an overview of the plan']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.tasks, q).toEqual([]);
      expect(a.text, q).toContain(`分${parts}个部分`);
    }
  });

  it('每个部分各有几条, 哪个部分任务最多, 按牵头单位统计 → the overview: a count over every part or unit', () => {
    const parts = loaded().plan.sections.length;
    for (const q of ['每个部分各有几条任务', '哪个部分任务最多', '任务最少的是哪一部分', '按牵头单位统计下任务数', '每个单位各有几条任务，给我统计下', '配合任务最多的单位是哪个', '方案里总共有多少个小节', '整体情况介绍一下，几部分几项任务', '牵头任务数量排名前两位的是哪两个单位', '任务数排名前三的部门', '要写汇报，牵头任务数排第二的是哪个单位', '整个方案涉及几个牵头单位', '方案里一共涉及多少个不同的牵头单位', '整个方案分成几个大部分', '只牵头一条任务的单位有几个', '每个单位各牵头了几条任务？统计一下', '整个分工方案有多少task', 'how many tasks in total 这个方案', '整体概况说一下，多少条任务、几大部分', '哪个部门承担的牵头任务最多，有几项', '整个方案分了几个部分', '新来的同事想了解下这份方案的整体结构', '各牵头单位的任务数帮我排个序', '这个方案一共几项任务 涉及多少个部门', '这份方案的任务总数是多少', '方案里task总数是多少']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.text, q).toContain(`分${parts}个部分`);
      expect(a.text, q).toContain('各部门负责的任务数：');
    }
  });

  it('hears 村里 and 邻里 as the plan’s 基层 and 群众: the village mediators of a story are its grassroots mediation', () => {
    const folk = loaded().plan.tasks.filter((t) => t.text.includes('扎根基层')).map((t) => t.id);
    expect(folk).toHaveLength(1);
    const a = engine().ask('村里、社区里那些平时调解邻里矛盾的大爷大妈调解员，能不能也帮着处理打工被欠钱这种事？谁管？');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(folk[0]);
  });

  it('the plan’s count asked beside the asker’s story, or the units counted after they are named → the overview', () => {
    const parts = loaded().plan.sections.length;
    for (const q of ['领导要个总数，重点任务一共几条？', '整个分工方案有几项重点任务？汇报要用', '牵头单位一共有几家', '涉及的责任单位一共多少个']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.text, q).toContain(`分${parts}个部分`);
    }
    // …but a part pointed at in another clause is still that part (那个小节一共几项)
    const part = loaded().plan.subsections[0];
    expect(engine().ask(`${part.title}那个小节，一共几项，都列出来`).intent).toBe('section_tasks');
  });

  it('every task of the plan asked for (这份方案所有任务按顺序列一下) → all of them, part by part; how many it has → the overview', () => {
    const { plan } = loaded();
    const a = engine().ask('把这份方案所有任务按顺序列一下');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(plan.tasks.map((t) => t.id));
    for (const part of plan.sections.filter((x) => x.no)) expect(a.text).toContain(`${part.no}、${part.title}`);
    expect(engine().ask('整个方案多少项任务，分没分章节').intent).toBe('help');
  });

  it('a subsection named by its title, some of whose words are the plan’s title too (智慧协商调解) → that subsection, not the whole plan', () => {
    const { plan } = loaded();
    const sub = plan.subsections.find((x) => x.title.includes('智慧协商调解'))!;
    expect(plan.title).toContain('协商');
    const a = engine().ask('智慧协商调解有哪些任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id));
  });

  it('一共多少条任务, 这个方案有多少任务, …？涉及几个部门 → the overview, whatever the counter', () => {
    const total = loaded().plan.tasks.length;
    // (and the plan named by the words of its title: 劳动人事争议协商这个方案)
    for (const q of ['一共多少条任务', '这个方案有多少任务', '任务总数是多少', '帮我数数劳动人事争议协商这个方案总共多少个重点任务', '方案一共多少条任务？涉及几个部门']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('help');
      expect(a.text, q).toContain(`方案共${total}项任务`);
    }
    // (how many units one task has is that task's)
    expect(engine().ask('第5项是什么，涉及几个部门').intent).toBe('task_detail');
  });

  it('a part named by another name of its title’s words (矛调中心 for 社会矛盾纠纷调处中心) is that part', () => {
    const sub = loaded().plan.subsections.find((s) => s.title.includes('社会矛盾纠纷调处中心'))!;
    const inIt = loaded().plan.tasks.filter((t) => t.subsection === sub.index).map((t) => t.id);
    expect(inIt.length).toBeGreaterThan(0);
    const a = engine().ask('矛调中心那一节有哪些任务');
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(inIt);
  });

  it('a part described by the units that each hold a task of their own in it (法院财政工信工会各自要担什么责那一节) is that part', () => {
    const { plan } = loaded();
    // the subsection where units each have a task naming them alone
    const own = plan.tasks.filter((t) => t.departments.length === 1 && t.subsection !== undefined);
    const sub = [...new Set(own.map((t) => t.subsection))].find((s) => new Set(own.filter((t) => t.subsection === s).map((t) => t.departments[0])).size >= 4)!;
    const units = [...new Set(own.filter((t) => t.subsection === sub).map((t) => t.departments[0]))].slice(0, 4);
    const a = engine().ask(`${units.join('')}各自要担什么责那一节，全部条目`);
    expect(a.intent).toBe('section_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(plan.tasks.filter((t) => t.subsection === sub).map((t) => t.id));
    // (a unit's own tasks in a part named stay its list, and units said as where a task is done are no such part:
    // 总工会在仲裁院和法院设工作站是第几条)
    expect(engine().ask(`${units[0]}在这一节有哪些任务`).intent).not.toBe('section_tasks');
    expect(engine().ask('总工会 在仲裁院和法院设工会法律服务工作站 是第几条').intent).not.toBe('section_tasks');
  });

  it('(17) with Arabic digits is subsection 十七', () => {
    expect(engine().ask('(17)有哪些任务').tasks.map((t) => t.id)).toEqual([47, 48]);
  });
});

describe('the dashboard search box', () => {
  it('ranks by relevance and drops the long tail', () => {
    const hits = engine().search('调解员培训', 30);
    expect(hits[0].id).toBe(48);
    expect(hits.map((h) => h.id)).toContain(57);
    expect(hits.length).toBeLessThan(30);
  });

  it('a department name alone finds its tasks, a number finds that task first', () => {
    const hits = engine().search('财政局', 30);
    expect(hits.map((h) => h.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 42, 47, 51, 52, 53, 58]);
    expect(hits[0].score).toBe(1);
    expect(engine().search('第46项', 5)[0].id).toBe(46);
  });
});

describe('first-person wording', () => {
  it('“我想了解…” about a plan topic is still answered; “我想申请劳动仲裁” is a personal matter', () => {
    expect(engine().ask('我想了解一下调解员培训').tasks[0].id).toBe(48);
    expect(engine().ask('我要查一下欠薪排查的任务').tasks[0].id).toBe(15);
    const personal = engine().ask('我想申请劳动仲裁');
    expect(personal.intent).toBe('unknown');
    expect(personal.departments).toEqual([]);
  });
});

describe('a department’s list however it is asked', () => {
  const tasksOf = (d: string) => engine().ask(`${d}有哪些任务`).tasks.map((t) => t.id);

  it('words that only ask (自己, 给我一份, 要对接的) are no topic: the unit’s whole list', () => {
    for (const [q, unit] of [['财政那边要干的事儿给我一份', '财政'], ['企联自己负责的有哪些', '企联'], ['总工会这边要对接的任务都有哪些', '总工会']]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf(unit));
    }
  });

  it('names the unit by the first word of its name (司法的todo) only when nothing else in the question is a topic', () => {
    expect(engine().ask('司法的todo有哪些？帮忙全列出来').tasks.map((t) => t.id)).toEqual(tasksOf('司法行政'));
    expect(engine().ask('调解跟仲裁诉讼衔接的几条').intent).not.toBe('department_tasks');
  });

  it('a group and one of its members both named: the member (企业代表组织这块，就是企联)', () => {
    const a = engine().ask('企业代表组织这块，就是企联，分到的任务清单发我');
    expect(a.departments).toEqual(['企联']);
    expect(a.tasks.map((t) => t.id)).toEqual(tasksOf('企联'));
  });

  it('several units not asked about together: each one’s list (人社和财政各有哪些任务); asked together: what they share', () => {
    const each = engine().ask('人社和财政各有哪些任务');
    expect(each.text).toContain('分别来看');
    expect(each.tasks.map((t) => t.id)).toEqual([...new Set([...tasksOf('人社'), ...tasksOf('财政')])].sort((x, y) => x - y));
    const shared = engine().ask('人社和财政共同负责哪些任务').tasks.map((t) => t.id);
    expect(shared).toEqual(tasksOf('人社').filter((id) => tasksOf('财政').includes(id)));
  });

  it('what the asker will do with the list (我要写年度总结, 月底要报进度) is no topic: the whole list', () => {
    expect(engine().ask('财政的任务都有哪些 我要写年度总结').tasks.map((t) => t.id)).toEqual(tasksOf('财政'));
    expect(engine().ask('人社局有哪几条，月底要报进度').tasks.map((t) => t.id)).toEqual(tasksOf('人社'));
  });

  it('several units each on their own when 分别 or 各自 says so, even with 一起 or 都 (人社和财政分别有哪些任务，一起发我)', () => {
    const each = engine().ask('人社和财政分别有哪些任务，一起发我').tasks.map((t) => t.id);
    expect(each).toEqual([...new Set([...tasksOf('人社'), ...tasksOf('财政')])].sort((x, y) => x - y));
  });

  it('牵头的 in a plan that prints no lead column: every task of the unit, saying so', () => {
    const a = engine().ask('人社牵头的有哪些？');
    expect(a.tasks.map((t) => t.id)).toEqual(tasksOf('人社'));
    expect(a.text).toContain('方案没有分列牵头和配合单位');
  });
});

describe('which item says what the asker described, units in the story', () => {
  it('…人社派人常驻办劳动案子，这是哪条任务说的 → the task described, as its who-question, not 人社’s list narrowed', () => {
    const story = '县里的矛调中心要求人社派人常驻办劳动案子';
    const who = engine().ask(`${story}，这个谁负责`);
    for (const q of [`${story}，这是哪条任务说的`, `${story}，哪条任务说的是这个`, `${story}，哪条任务讲的这个`, `${story}，这是哪条任务`, `${story}，这个是哪条任务要求的？`]) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(a.tasks[0].id, q).toBe(who.tasks[0].id);
    }
    // (the unit asked about, not described: its item on the matter, from its list)
    expect(engine().ask('人社 矛调中心派人常驻是哪条任务').intent).toBe('department_tasks');
  });
});

describe('这块 said of the matter at hand, one item asked (要把培训这块做起来，是哪条任务说的)', () => {
  it('is the item it describes, not a part of the plan', () => {
    for (const q of ['要把培训这块做起来，是哪条任务说的', '企业跟员工自己协商的能力太弱，有没有哪个组织负责指导企业把这块补上？']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('responsibility');
      expect(a.tasks.length, q).toBeGreaterThan(0);
    }
    // (a part named as one still is: 协商和解那一节是哪几条)
    expect(engine().ask('协商和解那一节是哪几条').intent).toBe('section_tasks');
  });
});

describe('everyday words for the plan’s own', () => {
  it('hears 大学老师 as the plan’s 专家学者 (a university teacher volunteering as a mediator)', () => {
    expect(engine().query('有几个大学老师想当兼职调解员，找哪个部门').terms.groups.find((g) => g.term === '大学老师')?.alternatives).toContain('专家学者');
    expect(loaded().plan.tasks.some((t) => t.text.includes('专家学者'))).toBe(true);
  });
});

describe('a topic’s tasks asked for, no unit named', () => {
  it('跟培训有关的任务有哪些, 培训方面有哪些任务 → every task about 培训, each with its units — not one task', () => {
    const about = loaded().plan.tasks.filter((t) => t.text.includes('培训')).map((t) => t.id);
    expect(about.length).toBeGreaterThan(1);
    for (const q of ['跟培训有关的任务有哪些', '培训方面有哪些任务', '和培训沾边的有哪几条']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(about);
      expect(a.text, q).toContain(`与「培训」相关的任务有${about.length}项`);
    }
    // (one item asked about the topic is still the who-question's one task)
    expect(engine().ask('跟调解员培训有关的是哪一项').intent).not.toBe('section_tasks');
  });
});

describe('a department asks for its tasks on one topic', () => {
  it('司法行政有哪些关于培训的任务 → its two training tasks, 48 and 57', () => {
    const a = engine().ask('司法行政有哪些关于培训的任务');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual([48, 57]);
    expect(a.departments).toEqual(['司法行政']);
    expect(a.text).toContain('与「培训」相关的有2项');
  });

  it('however the topic is tied to the list (跟培训沾边的, 和培训有关的, 培训 相关任务, 讲培训的, 培训相关的 都列一下): the same tasks', () => {
    const about = engine().ask('司法行政有哪些关于培训的任务').tasks.map((t) => t.id).sort((x, y) => x - y);
    for (const q of ['司法行政跟培训沾边的是哪几条', '司法行政和培训有关的有哪几项', '司法行政 培训 相关任务', '司法行政 培训有关的条目', '司法行政的任务里头，讲培训的有哪些', '司法行政这边 培训相关的 都列一下', '司法行政 培训相关的 task list', '司法行政 培训 有哪些']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      // (the same tasks; their order is the ranking's, which the words around the topic may move)
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(about);
    }
  });

  it('a topic that is a word of the unit’s own name, closed by 相关 / 那块 beside the unit (工信 中小企业 相关任务, 中小企业那块工信): narrowed', () => {
    const about = unitTasksSaying('工信', '中小企业');
    expect(about.length).toBeGreaterThan(1);
    for (const q of ['工信 中小企业 相关任务', '中小企业那块工信有哪几条']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.text, q).toContain('与「中小企业」相关');
      for (const id of about) expect(a.tasks.map((t) => t.id), q).toContain(id);
    }
    // …but the asker’s own unit described so (我们工信局管中小企业这块) asks for its whole list
    const all = engine().ask('工信有哪些任务').tasks.length;
    expect(engine().ask('我们工信局管中小企业这块，方案里涉及我们的条目有哪些').tasks).toHaveLength(all);
  });

  it('…but 配合单位有哪些 after a matter asks for units, not a list', () => {
    expect(engine().ask('司法行政牵头的调解员培训，配合单位有哪些').intent).toBe('responsibility');
  });

  it('the list is chosen by the topic alone: the asker’s story and purpose widen it by nothing', () => {
    const about = unitTasksSaying('财政', '政府购买服务');
    expect(about.length).toBeGreaterThan(1);
    for (const q of ['财政局在政府购买服务方面有哪些任务？', '明天要开会，我是财政局预算科的，帮我看看财政局在政府购买服务方面有哪些任务']) {
      const a = engine().ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(about);
      // the reply names the topic it narrowed by, not the words that asked for the list
      expect(a.text, q).toMatch(/与「[^」]*购买服务[^」]*」相关/);
      expect(a.text, q).not.toMatch(/「[^」]*(?:哪些|任务)[^」]*」/);
    }
  });

  it('one item asked (法院 支付令 是哪个任务, 人社局 调解员的培训 哪一项, 法院 支付令 task number?): the unit’s task on it, as its list narrowed', () => {
    for (const [unit, topic, asked] of [
      ['法院', '支付令', '法院 支付令 是哪个任务'],
      ['人社', '调解员的培训', '人社局 调解员的培训 哪一项'],
      // (asked in English as staff type it: task number?, which task; or its number asked: 那条是几号)
      ['法院', '支付令', '法院 支付令 task number?'],
      ['法院', '支付令', '法院管支付令的那条是几号'],
      ['人社', '调解员的培训', '人社局 调解员的培训 which task'],
    ]) {
      const about = unitTasksSaying(unit, topic);
      expect(about, topic).toHaveLength(1);
      const a = engine().ask(asked);
      expect(a.intent, asked).toBe('department_tasks');
      expect(a.departments, asked).toEqual([unit]);
      expect(a.tasks.map((t) => t.id), asked).toEqual(about);
    }
    // …but which court to go to is a fact plans do not state, not an item of 法院's list, nor the day an item is due
    expect(engine().ask('支付令向哪个法院申请，要交多少钱').tasks).toEqual([]);
    expect(engine().ask('法院管支付令的那条几号截止').intent).not.toBe('department_tasks');
  });

  it('the item’s number asked after 任务 (支付令那个任务是几号, 支付令是几号任务) is no date asked: the task, never a refusal', () => {
    const about = loaded().plan.tasks.filter((t) => t.text.includes('支付令')).map((t) => t.id);
    expect(about).toHaveLength(1);
    for (const q of ['法院 支付令那个任务是几号', '支付令是几号任务']) {
      const a = engine().ask(q);
      expect(a.intent, q).not.toBe('unknown');
      expect(a.tasks[0]?.id, q).toBe(about[0]);
    }
    // (the day an item is due is still a date)
    expect(engine().ask('支付令那个任务几号截止').tasks).toEqual([]);
  });

  it('one item asked where two of the unit’s tasks share its words (和解协议 and 调解协议 履行): the nearer one alone', () => {
    const a = engine().ask('总工会引导签和解协议、督促履行的是哪一项？');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks).toHaveLength(1);
    expect(loaded().plan.tasks.find((t) => t.id === a.tasks[0].id)?.text).toContain('和解协议');
  });

  it('“工会要做什么” about a situation is still answered with the one task', () => {
    const a = engine().ask('劳动者和企业协商好了要签和解协议，工会要做什么');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(23);
  });
});

describe('a question that mentions the bot by name', () => {
  it('is answered as the question itself, wherever the mention stands — never with the help text', () => {
    for (const q of ['谁负责调解员培训?', '总工会有哪些任务', '第46项是什么']) {
      const plain = engine().ask(q);
      for (const asked of [`@督办助手 ${q}`, `${q} @督办助手`]) {
        const a = engine().ask(asked);
        expect(a.intent, asked).toBe(plain.intent);
        expect(a.tasks.map((t) => t.id), asked).toEqual(plain.tasks.map((t) => t.id));
      }
    }
  });
});
