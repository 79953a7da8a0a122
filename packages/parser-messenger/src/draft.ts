import type { Attachment, MessageType } from '@alterego/core';

/** A reaction as an export writes it: the emoji and the name of who reacted. */
export interface DraftReaction {
  emoji: string;
  actor: string;
}

/** One message read from a thread file, before ids and participants are assigned. */
export interface DraftMessage {
  /** The sender's display name (repaired, NFC); null for system lines. */
  sender: string | null;
  /** Milliseconds since the epoch. */
  time: number;
  type: MessageType;
  text: string;
  attachments?: Attachment[];
  reactions?: DraftReaction[];
  /**
   * Set on a "Reacted ❤ to your message" line: a copy of a reaction that belongs on an earlier
   * message, folded into it instead of being a message of its own.
   */
  reactionNotice?: { emoji: string };
  /** Names a group event brings in (added or removed people), so they become participants. */
  mentioned?: string[];
}

/** One page (file) of a thread, read. */
export interface DraftPage {
  title: string | null;
  /** Participants the file lists, in order. */
  participants: string[];
  /** True when the file says the thread is a group (thread_type, a group image, ...). */
  group: boolean;
  /** The thread folder name from `thread_path`, when the file carries one. */
  threadFolder?: string;
  messages: DraftMessage[];
  /** Messages left out because they had no usable time. */
  skipped: number;
}
