/**
 * The words of asking that the engine's rules read (general Chinese, no plan's words): who is asked for, a list, a
 * part of the plan, the plan as a whole, help, a yes/no question, a greeting or the asker's introduction before it.
 */
/**
 * Who is asking, said before the question (我是中院研究室的，…; 财政局预算科的，…; 我是司法所调解员，…): the asker's
 * unit is not what is asked about — unless the question then says 我们 (我是总工会的，我们有哪些任务).
 */
const SELF_INTRO =
  /^(?:(?:我是|我们是|本人是|这边是)[^，,。！!？?\s]{2,16}?的?|[^，,。！!？?\s]{2,14}?(?:科|处|局|室|所|院|厅|办|委|庭|部|中心|股|队|站)的)[，,\s]+/;
const ASKER_AS_SUBJECT = /我们|咱们|我单位|本单位|我局|我委|我办|我院|我所/;

export function withoutSelfIntroduction(text: string): string {
  const m = SELF_INTRO.exec(text);
  if (!m) return text;
  const rest = text.slice(m[0].length);
  return ASKER_AS_SUBJECT.test(rest) || [...rest].length < 6 ? text : rest;
}


export const WHO_CUE = /是不是.{0,8}(?:牵头|负责|管)|是.{0,8}(?:牵头|负责)吗|谁|哪个部门|哪些部门|哪个单位|哪些单位|哪几个?(?:部门|单位)|哪家|哪个机构|归口|责任部门|责任单位|牵头部门|由哪|几个部门|多少个?部门/;
export const LIST_CUE = /哪些|条目|什么任务|几项|几件|什么活|哪些活|多少(?:项|条|个|件|活|工作|事|任务)|几条|任务清单|全部任务|所有任务|包括|包含|有啥|都有|列出|列一下|列下|列个|清单|负责什么|干什么|做什么|干啥|做啥|的任务|的项目|的条目|的事项|todo|有什么|内容|哪几|介绍|概括|讲了|说了/;
/** Explicitly asking for several tasks ("哪些…任务", "几项"), as opposed to "要做什么". */
export const TASKS_CUE = /哪些.{0,8}(?:任务|事项)|(?:任务|事项).{0,4}(?:有哪些|清单|列表)|几项|多少项|哪几项/;
/** Questions about the plan as a whole: how many tasks, parts, which department has most. */
export const OVERVIEW_CUE = /各部门|各个部门|每个部门|所有部门|各单位|哪个部门.{0,4}最多|一共.{0,4}(?:多少|几)项|总共.{0,4}(?:多少|几)项|(?:多少|几)项任务|几个部分|几个小节|哪几个部分|哪些部分|目录|总体情况|概况|概览|整体情况/;
export const HELP_ONLY = /^(你好|您好|hi|hello|hey|嗨|哈喽|在吗|在么|在不在|有人吗|有人在吗|有没有人|帮助|help|\?|菜单|说明|使用说明|怎么用|如何使用|你能做什么|你会什么|你能干什么|你是谁|你是做什么的|你是干什么的|谢谢|好的|开始|start|\/start|\/help)[啊呀哈嘛哦~!！。.?？ ]*$/;
/** Asking about the bot itself ("怎么使用这个机器人", "你会干嘛"). */
export const HELP_CUE = /机器人|助手|你(?:能|会|可以)(?:做|干|帮|回答|问)|你会干|怎么(?:使用|用你|问你)|如何(?:使用|提问)|使用方法|使用说明|有什么功能|有哪些功能|能问什么|可以问什么|问什么问题/;
/** A greeting in front of a question ("你好，请问…") is dropped before analysis. */
export const GREETING_PREFIX = /^(?:你好|您好|hi|hello|嗨|哈喽|领导好|老师好|同志)[啊呀,，!！。.~ ]*(?:请问|麻烦问一下|问一下|想问一下|打扰一下)?[,，:： ]*/;

/** Pointing at a subsection: 那一节, 这个小节. */
export const POINTED_SUBSECTION = /[那这]一?个?小?节/;
/** Words naming a part of the plan ("经费保障那一节", "协商和解这一块"). */
export const SECTION_CUE = /[那这]一?块|[那这]一?小?节|小节|[那这]一?部分|板块|几条/;
/** A yes/no question ("…吗", 是不是, 是否). */
export const YES_NO = /吗[?？。!！~ ]*$|是不是|是否/;
/** Words of such a request that are not a topic: how the department takes part, and the request itself. */
export const LIST_FILLER = /^(?:牵头|配合|参与|涉及|条目|清单|列表|列|列出|发|发我|一下|那些|这些|这块|我们|我|task|tasks|list|pls|please|具体|全部|所有|或者|或|以及|还是|要|这边|那边|方案|工作|任务|事项|项目|事情|事|事儿|活|活儿|职责|承担|负责|相关|名下|方面|内容)$/;
/** Colloquial question words in their plain form, for the cue patterns only (啥 → 什么, 咋 → 怎么). */
export function plainCues(text: string): string {
  return text.replace(/啥/g, '什么').replace(/咋/g, '怎么').replace(/哪块/g, '哪些');
}
