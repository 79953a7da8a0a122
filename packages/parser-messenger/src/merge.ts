import type { Conversation, Message, Participant } from '@alterego/core';

/**
 * Merges two conversations with the same id: the same thread read from two parts of a download
 * given separately, or from two downloads. Participants are joined by id (self where either says
 * so, one self at most), messages are joined by id (the first one read wins) and kept in time
 * order, and the first conversation's title, kind and source are kept unless missing.
 * Throws a TypeError for conversations with different ids.
 */
export function mergeConversations(first: Conversation, second: Conversation): Conversation {
  if (first.id !== second.id) {
    throw new TypeError(
      `cannot merge conversations with different ids: "${first.id}" and "${second.id}"`,
    );
  }
  const participants = new Map<string, Participant>();
  for (const participant of [...first.participants, ...second.participants]) {
    const existing = participants.get(participant.id);
    if (existing) {
      if (participant.self && !existing.self)
        participants.set(participant.id, { ...existing, self: true });
    } else {
      participants.set(participant.id, { ...participant });
    }
  }
  let self = false;
  const joined = [...participants.values()].map((participant) => {
    if (!participant.self) return participant;
    if (self) return { ...participant, self: false };
    self = true;
    return participant;
  });
  const seen = new Set<string>();
  const messages: Message[] = [];
  for (const message of [...first.messages, ...second.messages]) {
    if (seen.has(message.id)) continue;
    seen.add(message.id);
    messages.push(message);
  }
  // Stable: messages at the same instant keep the order they were read in.
  messages.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return {
    ...first,
    kind: first.kind === 'group' || second.kind === 'group' ? 'group' : first.kind,
    title: first.title ?? second.title,
    participants: joined,
    messages,
  };
}
