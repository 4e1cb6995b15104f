import type { StateStore } from '../state/store.js';
import type { AuditActor } from '../state/types.js';
import type { Actor } from './context.js';
import type { Message } from './types.js';

/**
 * Who is speaking: the adapter's trusted facts first (the web page's chosen identity, a configured
 * administrator), then the chat's binding (a department group, or the coordinator's 督办 group).
 * A binding switched off because sends failed still identifies the chat: messages from it mean
 * the bot is back in the group.
 */
export function resolveActor(message: Message, store: StateStore): Actor {
  const admin = message.trusted?.admin === true;
  const speakAs = message.trusted?.speakAs;
  if (speakAs && (speakAs.department || speakAs.coordinator)) {
    const department = speakAs.department && store.plans.all().some((p) => p.registry.get(speakAs.department!)) ? speakAs.department : undefined;
    return { department, coordinator: speakAs.coordinator === true, admin };
  }
  const b = store.bindingFor(message.channel, message.chatId);
  if (b) return { department: b.department, coordinator: b.role === 'coordinator', admin };
  return { coordinator: false, admin };
}

/** The audit record of a chat message's sender. */
export function auditActorOf(message: Message): AuditActor {
  const a: AuditActor = { channel: message.channel, chatId: message.chatId, userId: message.userId };
  if (message.userName) a.name = message.userName;
  return a;
}
