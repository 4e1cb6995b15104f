import type { ChannelName } from '../core/types.js';
import { StoreError } from './errors.js';
import type { StoreContext } from './store-context.js';
import type { AuditActor, Binding, BindingRole, KnownPerson, Liaison, RobotKey } from './types.js';

/** Which chat speaks for which department, the departments' liaisons, the people seen, the robots added at run time. */
export class BindingStore {
  constructor(private readonly ctx: StoreContext) {}

  bindingFor(channel: ChannelName, chatId: string): Binding | undefined {
    return this.ctx.data.bindings.find((b) => b.channel === channel && b.chatId === chatId);
  }

  bindings(): Binding[] {
    return [...this.ctx.data.bindings];
  }

  /** Active bindings that receive a department's reminders. */
  bindingsForDepartment(dept: string): Binding[] {
    return this.ctx.data.bindings.filter((b) => b.active && b.role === 'department' && b.department === dept);
  }

  /** Active coordinator bindings. */
  coordinatorBindings(): Binding[] {
    return this.ctx.data.bindings.filter((b) => b.active && b.role === 'coordinator');
  }

  /** Active leaders' chats (second-step escalations). */
  leadersBindings(): Binding[] {
    return this.ctx.data.bindings.filter((b) => b.active && b.role === 'leaders');
  }

  async bind(
    b: { channel: ChannelName; chatId: string; department?: string; role: BindingRole; title?: string },
    by: AuditActor,
  ): Promise<void> {
    if (b.role === 'department') {
      if (!b.department) throw new StoreError('绑定部门群时必须指定部门');
      if (!this.ctx.knowsDepartment(b.department)) throw new StoreError(`未登记的部门「${b.department}」`);
    }
    const now = this.ctx.nowIso();
    await this.ctx.mutate((data) => {
      const i = data.bindings.findIndex((x) => x.channel === b.channel && x.chatId === b.chatId);
      const old = i >= 0 ? data.bindings[i] : undefined;
      const next: Binding = {
        channel: b.channel,
        chatId: b.chatId,
        role: b.role,
        department: b.department,
        title: b.title ?? old?.title,
        active: true,
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
        by,
      };
      if (next.department === undefined) delete next.department;
      if (next.title === undefined) delete next.title;
      if (i >= 0) data.bindings[i] = next;
      else data.bindings.push(next);
      this.ctx.audit(data, {
        action: 'bind',
        actor: by,
        department: b.department,
        old: old ? { role: old.role, department: old.department, active: old.active } : undefined,
        new: { channel: b.channel, chatId: b.chatId, role: b.role, department: b.department },
      });
    }, ['bindings', 'history']);
  }

  async unbind(channel: ChannelName, chatId: string, by: AuditActor): Promise<boolean> {
    return this.ctx.mutate((data) => {
      const i = data.bindings.findIndex((x) => x.channel === channel && x.chatId === chatId);
      if (i < 0) return false;
      const [old] = data.bindings.splice(i, 1);
      this.ctx.audit(data, {
        action: 'unbind',
        actor: by,
        department: old.department,
        old: { channel, chatId, role: old.role, department: old.department },
      });
      return true;
    }, ['bindings', 'history']);
  }

  async setBindingActive(channel: ChannelName, chatId: string, active: boolean, reason: string, by?: AuditActor): Promise<void> {
    await this.ctx.mutate((data) => {
      const b = data.bindings.find((x) => x.channel === channel && x.chatId === chatId);
      if (!b || b.active === active) return;
      b.active = active;
      b.updatedAt = this.ctx.nowIso();
      if (active) delete b.inactiveReason;
      else b.inactiveReason = reason;
      this.ctx.audit(data, {
        action: 'binding-active',
        actor: by ?? { channel: 'cli', name: 'system' },
        department: b.department,
        old: !active,
        new: active,
        note: reason,
      });
    }, ['bindings', 'history']);
  }

  /** A chat changed id (Telegram group → supergroup): move the binding and unsent outbox rows. */
  async migrateChat(channel: ChannelName, oldChatId: string, newChatId: string): Promise<void> {
    if (oldChatId === newChatId) return;
    await this.ctx.mutate((data) => {
      const b = data.bindings.find((x) => x.channel === channel && x.chatId === oldChatId);
      if (b) {
        // A binding the new id may already have is replaced by the migrated one.
        data.bindings = data.bindings.filter((x) => !(x.channel === channel && x.chatId === newChatId));
        b.chatId = newChatId;
        b.updatedAt = this.ctx.nowIso();
      }
      // Waiting rows follow the chat. A row being sent stays its sender's: the platform answers that send with the
      // migration too, and the sender moves it when it settles (made pending here, a second sender could take it up
      // while the first still holds it, and the message would go out twice).
      let moved = 0;
      for (const row of Object.values(data.outbox)) {
        if (row.channel !== channel || row.chatId !== oldChatId) continue;
        if (row.status === 'pending' || row.status === 'failed') {
          data.outbox[row.key] = { ...row, chatId: newChatId };
          moved++;
        }
      }
      this.ctx.audit(data, {
        action: 'migrate-chat',
        actor: { channel, chatId: oldChatId, name: 'system' },
        department: b?.department,
        old: oldChatId,
        new: newChatId,
        note: `移动了 ${moved} 条待发提醒`,
      });
    }, ['bindings', 'outbox', 'history']);
  }

  liaisons(dept: string): Liaison[] {
    return [...(this.ctx.data.liaisons[dept] ?? [])];
  }

  /** Replace a department's liaisons ([] clears them). */
  async setLiaisons(dept: string, list: Array<Omit<Liaison, 'at' | 'by'>>, by: AuditActor): Promise<Liaison[]> {
    if (!this.ctx.knowsDepartment(dept)) throw new StoreError(`未登记的部门「${dept}」`);
    if (list.length > 20) throw new StoreError('每个部门最多 20 名联络员');
    const at = this.ctx.nowIso();
    return this.ctx.mutate((data) => {
      const old = data.liaisons[dept] ?? [];
      const next = list.map((l) => {
        const e: Liaison = { platform: l.platform, id: l.id, kind: l.kind, at, by };
        if (l.name) e.name = l.name.slice(0, 50);
        return e;
      });
      if (next.length) data.liaisons[dept] = next;
      else delete data.liaisons[dept];
      this.ctx.audit(data, { action: 'liaison', actor: by, department: dept, old: old.map((l) => l.name ?? l.id), new: next.map((l) => l.name ?? l.id) });
      return next;
    }, ['liaisons', 'history']);
  }

  person(platform: KnownPerson['platform'], handle: string): KnownPerson | undefined {
    return this.ctx.data.people[`${platform}:@${handle.replace(/^@/, '').toLowerCase()}`];
  }

  /** Remember who has a @username (written only when something changed). */
  async rememberPerson(p: Omit<KnownPerson, 'at'>): Promise<void> {
    if (!p.handle || this.ctx.readOnly) return;
    const key = `${p.platform}:@${p.handle.toLowerCase()}`;
    const old = this.ctx.data.people[key];
    if (old && old.id === p.id && old.name === p.name) return;
    await this.ctx.mutate((data) => {
      data.people[key] = { ...p, at: this.ctx.nowIso() };
    }, ['people']);
  }

  /** Issued reports, oldest first. */

  /** The plan a chat's bare task numbers mean (/plan), if the chat chose one. */
  chatPlan(channel: ChannelName, chatId: string): string | undefined {
    return this.ctx.data.chatPlans[`${channel}:${chatId}`];
  }

  /** Set (or with null clear) a chat's default plan. */
  async setChatPlan(channel: ChannelName, chatId: string, plan: string | null, by: AuditActor): Promise<void> {
    if (plan !== null && !this.ctx.plans.get(plan)) throw new StoreError(`没有编号为「${plan}」的有效方案`);
    const key = `${channel}:${chatId}`;
    await this.ctx.mutate((data) => {
      const old = data.chatPlans[key];
      if (plan === null) delete data.chatPlans[key];
      else data.chatPlans[key] = plan;
      this.ctx.audit(data, { action: 'chat-plan', actor: by, old: old ?? null, new: plan, note: key });
    }, ['chatPlans', 'history']);
  }

  robotKeys(): Record<string, RobotKey> {
    return { ...this.ctx.data.robots };
  }

  /** Replace the robot keys added at run time. */
  async setRobotKeys(keys: Record<string, RobotKey>): Promise<void> {
    await this.ctx.mutate((data) => {
      data.robots = { ...keys };
    }, ['robots']);
  }
}
