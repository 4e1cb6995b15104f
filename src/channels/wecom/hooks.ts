/**
 * Webhook keys added by the coordinator at run time: "/hook 法院 <key 或 webhook 地址>" in a private chat
 * with the bot (never in a group: the key is a secret), "/hook" lists, "/unhook 法院" removes.
 * Keys persist in a JSON file (mode 0600) next to the state file — or, when several instances share the state
 * (PostgreSQL), in the state, so a robot added on one instance sends from whichever instance is the leader.
 * The key itself is never shown or logged.
 */
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import type { ChannelName, Message, Reply } from '../../core/types.js';
import { ConfigError } from '../../core/env.js';
import { parseWebhookBindings, type WebhookBinding } from './config.js';
import type { WebhookChannel } from './webhook.js';

export interface HookStore {
  bindingFor(channel: ChannelName, chatId: string): { active: boolean; department?: string; role: string } | undefined;
  bind(b: { channel: ChannelName; chatId: string; department?: string; role: 'department' | 'coordinator'; title?: string }, by: { channel: ChannelName | 'cli'; chatId?: string; userId?: string; name?: string }): Promise<void>;
  unbind?(channel: ChannelName, chatId: string, by: { channel: ChannelName | 'cli'; name?: string }): Promise<boolean>;
}

/** Where group robots added with /hook are kept, in DATA_DIR. */
export const HOOKS_FILE = 'wecom-webhooks.json';

/** Where the robots added with /hook are kept. */
export interface HookKeys {
  /** false: nowhere (they last until restart). */
  readonly durable: boolean;
  load(): Promise<WebhookBinding[]>;
  save(rows: WebhookBinding[]): Promise<void>;
  /** Another instance changed them (shared state); returns the unsubscribe function. */
  onChange?(listener: () => void): () => void;
}

export class HookFile implements HookKeys {
  constructor(readonly path: string | undefined) {}

  get durable(): boolean {
    return this.path !== undefined;
  }

  async load(): Promise<WebhookBinding[]> {
    if (!this.path) return [];
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const rows = JSON.parse(text) as Array<{ department: string; key: string }>;
      return rows.flatMap((r) => parseWebhookBindings(`${r.department}:${r.key}`, this.path));
    } catch (err) {
      throw new Error(`无法读取 /hook 登记的群机器人文件 ${this.path}：${(err as Error).message.replace(/[0-9a-f-]{8,}/gi, '…')}`);
    }
  }

  async save(rows: WebhookBinding[]): Promise<void> {
    if (!this.path) return;
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(rows.map((r) => ({ department: r.department, key: r.key })), null, 2), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}

/** Robots added with /hook as the state keeps them: by the chat id they are bound as. */
export function robotKeysOf(rows: WebhookBinding[]): ReturnType<RobotKeyState['robotKeys']> {
  return Object.fromEntries(rows.map((r) => [r.chatId, { department: r.department, key: r.key, ...(r.coordinator ? { coordinator: true } : {}) }]));
}

/** The state's robot keys, for a store shared by several instances (PostgreSQL). */
export interface RobotKeyState {
  robotKeys(): Record<string, { department: string; key: string; coordinator?: boolean }>;
  setRobotKeys(keys: Record<string, { department: string; key: string; coordinator?: boolean }>): Promise<void>;
  onChange(listener: () => void): () => void;
}

export class StateHookKeys implements HookKeys {
  readonly durable = true;
  constructor(private readonly state: RobotKeyState) {}

  async load(): Promise<WebhookBinding[]> {
    return Object.values(this.state.robotKeys()).flatMap((r) => parseWebhookBindings(`${r.department}:${r.key}`, '/hook'));
  }

  async save(rows: WebhookBinding[]): Promise<void> {
    await this.state.setRobotKeys(robotKeysOf(rows));
  }

  /** Only when the robots changed (the state changes with every update on any instance). */
  onChange(listener: () => void): () => void {
    let seen = JSON.stringify(this.state.robotKeys());
    return this.state.onChange(() => {
      const now = JSON.stringify(this.state.robotKeys());
      if (now === seen) return;
      seen = now;
      listener();
    });
  }
}

const reply = (text: string, intent = 'wecom_hook'): Reply => ({ text, intent, tasks: [], departments: [] });
const HOOK_RE = /^[/／](hook|unhook)(?:@\S+)?(?:\s+([\s\S]*))?$/i;

export interface HookCommands {
  /** Wrap the bot: /hook and /unhook are answered here, everything else goes to the bot. */
  wrap(bot: Bot): Bot;
  /** Keys added at run time (loaded from the file at start). */
  runtime(): WebhookBinding[];
  load(): Promise<WebhookBinding[]>;
}

export function createHookCommands(o: { channel: WebhookChannel; store?: HookStore; file: HookKeys; log: Logger; validDepartment?: (name: string) => boolean }): HookCommands {
  let rows: WebhookBinding[] = [];

  const allowed = (m: Message) => m.trusted?.admin === true || o.store?.bindingFor(m.channel, m.chatId)?.role === 'coordinator';

  async function handle(m: Message, verb: string, args: string): Promise<Reply> {
    if (!allowed(m)) return reply('只有协调员或管理员可以设置群机器人。', 'not_allowed');
    if (verb === 'hook' && !args) {
      const list = o.channel.bindings();
      return reply(list.length ? `已登记的群机器人：\n${list.map((b) => `· ${b.department}（${b.chatId}）`).join('\n')}` : '还没有登记群机器人。用法：在与我的单聊中发送「/hook 部门 群机器人webhook地址」。');
    }
    if (verb === 'unhook') {
      const dept = args.trim();
      const gone = rows.filter((r) => r.department === dept);
      if (!gone.length) return reply(`没有通过 /hook 登记的「${dept}」群机器人（写在 WECOM_WEBHOOK_BINDINGS 里的请在配置中删除）。`);
      rows = rows.filter((r) => r.department !== dept);
      await o.file.save(rows);
      for (const r of gone) {
        o.channel.removeKey(r.chatId);
        await o.store?.unbind?.('wecom-webhook', r.chatId, { channel: m.channel, name: m.userId });
      }
      return reply(`已删除「${dept}」的群机器人，此后不再通过它发送提醒。`);
    }
    if (m.chatType !== 'private') {
      return reply('webhook 地址相当于密码：请在与督办助手的单聊中发送「/hook 部门 地址」。如已发在群里，建议在群机器人设置中重新生成地址。', 'refuse');
    }
    let parsed: WebhookBinding[];
    try {
      parsed = parseWebhookBindings(args.replace(/\s+/, ':'), '/hook');
    } catch (err) {
      return reply(`${err instanceof ConfigError ? err.message.replace(/^配置错误 \/hook: /, '') : '格式不对'}。用法：/hook 部门 群机器人webhook地址`, 'refuse');
    }
    const b = parsed[0];
    if (!b.coordinator && o.validDepartment && !o.validDepartment(b.department)) return reply(`不认识的部门「${b.department}」。`, 'refuse');
    try {
      await o.store?.bind(
        { channel: 'wecom-webhook', chatId: b.chatId, role: b.coordinator ? 'coordinator' : 'department', department: b.coordinator ? undefined : b.department, title: `${b.department}群机器人` },
        { channel: m.channel, chatId: m.chatId, userId: m.userId },
      );
    } catch (err) {
      return reply(`${(err as Error).message}。`, 'refuse');
    }
    o.channel.addKey(b.department, b.key, b.coordinator);
    rows = [...rows.filter((r) => r.chatId !== b.chatId), b];
    await o.file.save(rows);
    o.log.info({ department: b.department, chatId: b.chatId, by: m.userId }, '协调员登记了群机器人');
    return reply(`已登记「${b.department}」的群机器人（${b.chatId}），${b.department}的提醒将发到该群。${o.file.durable ? '' : '（注意：未配置保存位置，重启后需重新登记）'}`);
  }

  return {
    wrap(bot) {
      return {
        async handle(m) {
          const match = HOOK_RE.exec(m.text.trim());
          if (!match) return bot.handle(m);
          try {
            return await handle(m, match[1].toLowerCase(), (match[2] ?? '').trim());
          } catch (err) {
            o.log.error({ err: (err as Error).message }, '/hook 处理失败');
            return reply('登记群机器人失败，请稍后再试。', 'error');
          }
        },
      };
    },
    runtime: () => rows,
    async load() {
      rows = await o.file.load();
      for (const r of rows) o.channel.addKey(r.department, r.key, r.coordinator);
      // Robots added or removed on another instance: this one sends with the same keys.
      o.file.onChange?.(() => {
        o.file.load().then((next) => {
          const kept = new Set(next.map((r) => r.chatId));
          for (const r of rows) if (!kept.has(r.chatId)) o.channel.removeKey(r.chatId);
          for (const r of next) o.channel.addKey(r.department, r.key, r.coordinator);
          rows = next;
        }, (err: unknown) => o.log.error({ err: (err as Error).message }, '/hook 登记的群机器人无法读取'));
      });
      return rows;
    },
  };
}
