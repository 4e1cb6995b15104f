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
  /** Adapter-level facts the core trusts (e.g. a Telegram admin id, the web page's loopback speaker). */
  trusted?: {
    /** The web page's chosen identity: speak as this department, or as the coordinator. */
    speakAs?: { department?: string; coordinator?: boolean };
    /** Configured administrator of the channel (TELEGRAM_ADMIN_IDS, dashboard admin). */
    admin?: boolean;
  };
}

export interface TaskRef {
  id: number;
  departments: string[];
  score: number;
}

/** What a handler answers. Plain text with line breaks; adapters format and split it. */
export interface Reply {
  text: string;
  intent: string;
  tasks: TaskRef[];
  departments: string[];
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

/** Outbound side of a channel, used by the reminder outbox. */
export interface OutboundChannel {
  name: ChannelName;
  limit: SizeLimit;
  /** Messages per minute one destination accepts (WeCom robot 20, Telegram group 20). */
  perDestinationPerMinute: number;
  send(chatId: string, text: string): Promise<SendResult>;
}
