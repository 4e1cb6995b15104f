/** Platform-neutral message and reply: every channel adapter translates to and from these. */

export type ChannelName = 'web' | 'cli' | 'console' | 'wecom-app' | 'wecom-bot' | 'wecom-webhook' | 'telegram';

export interface Message {
  channel: ChannelName;
  /** Chat the message came from (group id, private chat id, web session). */
  chatId: string;
  chatType: 'private' | 'group';
  /** Sender id on that platform. */
  userId: string;
  userName?: string;
  messageId?: string;
  /** Text with the bot mention already stripped by the adapter. */
  text: string;
  /** Telegram: the sender's @username (without @), when they have one. */
  userHandle?: string;
  /** The message this one replies to: its sender (Telegram replies; /liaison uses it). */
  replyTo?: { userId: string; userName?: string; userHandle?: string };
  /** People the text mentions, as the platform identifies them (Telegram text mentions and @usernames). */
  mentioned?: Array<{ userId?: string; userHandle?: string; userName?: string }>;
  /** Adapter-level facts the core trusts (e.g. a Telegram admin id, the web page's loopback speaker). */
  trusted?: {
    /** The web page's chosen identity: speak as this department, or as the coordinator. */
    speakAs?: { department?: string; coordinator?: boolean };
    /** Configured administrator of the channel (TELEGRAM_ADMIN_IDS, dashboard admin). */
    admin?: boolean;
  };
}

export interface TaskRef {
  /** The task's number within its plan. */
  id: number;
  /** The plan's id (default, p2 …): set by the plan router on every answer. */
  plan?: string;
  departments: string[];
  score: number;
}

/** What a handler answers. Plain text with line breaks; adapters format and split it. */
export interface Reply {
  text: string;
  intent: string;
  tasks: TaskRef[];
  departments: string[];
  /** The topic a unit's list was narrowed to (总工会跟协商有关的任务: 协商): 「那法院呢」 then asks the same of 法院. */
  topic?: string;
}

/** How a channel measures its size limit: WeCom counts UTF-8 bytes, Telegram counts characters. */
export type SizeMeasure = 'bytes' | 'chars';

export interface SizeLimit {
  max: number;
  measure: SizeMeasure;
}

/** Result of one outbound send; a channel never throws for an expected platform error. */
export type SendResult =
  | { ok: true; remoteId?: string }
  | {
      ok: false;
      /** permanent: never retry this message (bot removed, invalid webhook key, message rejected). */
      permanent: boolean;
      /** The chat itself is unreachable (bot removed or blocked, chat not found, webhook key revoked): stop using it. */
      destinationGone?: boolean;
      error: string;
      /** The platform asked us to wait this long before the next try. */
      retryAfterMs?: number;
      /** Telegram: the group became a supergroup with this id. */
      migrateToChatId?: string;
    };

/** The platform a person is reachable on: one WeCom userid/mobile serves the robot, the smart bot and the app. */
export type PersonPlatform = 'wecom' | 'telegram';

/** Someone a reminder @-mentions (a department's liaison). */
export interface Mention {
  platform: PersonPlatform;
  /** WeCom userid or mobile number; Telegram numeric user id. */
  id: string;
  kind: 'userid' | 'mobile' | 'telegram';
  /** Shown in the text (Telegram: the link text). */
  name?: string;
}

/** A file sent through the outbox (the weekly 督办通报). */
export interface OutboundFile {
  /** Absolute path on this machine. */
  path: string;
  /** File name shown to people. */
  name: string;
  /** Short caption (Telegram shows it under the document). */
  caption?: string;
}

export interface SendExtras {
  /** @-mention these people (only those on this channel's platform are passed). */
  mentions?: Mention[];
}

/** Outbound side of a channel, used by the reminder outbox. */
export interface OutboundChannel {
  name: ChannelName;
  limit: SizeLimit;
  /** Messages per minute one destination accepts (WeCom robot 20, Telegram group 20). */
  perDestinationPerMinute: number;
  send(chatId: string, text: string, extras?: SendExtras): Promise<SendResult>;
  /**
   * false: this instance cannot send on it now (the smart bot's long connection is held by the leader
   * instance); its rows wait for a sender that can. Absent: always.
   */
  available?(): boolean;
  /** Send a document; channels without it get the text and a note to download it from the dashboard. */
  sendFile?(chatId: string, file: OutboundFile): Promise<SendResult>;
}

/** The platform of people reachable through a channel (undefined: nobody can be mentioned there). */
export function platformOf(channel: ChannelName): PersonPlatform | undefined {
  if (channel === 'telegram') return 'telegram';
  if (channel === 'wecom-app' || channel === 'wecom-bot' || channel === 'wecom-webhook') return 'wecom';
  return undefined;
}

/** "联络员：@张三 @李四" in plain text (channels that can mention replace the names with their markup). */
export function mentionNames(mentions: Mention[]): string {
  return mentions.map((m) => `@${m.name ?? m.id}`).join(' ');
}
