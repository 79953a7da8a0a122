import { nameKey, type Conversation } from '@alterego/core';
import type { ResolvedDatasetOptions } from './options.js';

/** Why a conversation made no examples, as counted in the report. */
export type SkipReason = 'group' | 'posts' | 'not-selected' | 'excluded' | 'no-self';

function matchesChat(conversation: Conversation, selectors: readonly string[]): boolean {
  const title = conversation.title === null ? undefined : nameKey(conversation.title);
  return selectors.some(
    (selector) =>
      selector === conversation.id || (title !== undefined && nameKey(selector) === title),
  );
}

function matchesParticipant(conversation: Conversation, selectors: readonly string[]): boolean {
  const keys = new Set(selectors.map(nameKey));
  return conversation.participants.some(
    (participant) =>
      !participant.self &&
      (keys.has(nameKey(participant.name)) ||
        keys.has(nameKey(participant.id)) ||
        (participant.handles ?? []).some((handle) => keys.has(nameKey(handle)))),
  );
}

/**
 * Whether a conversation is used, by kind, platform, chat and participant; undefined when it is,
 * or the reason it is not.
 */
export function skipReason(
  conversation: Conversation,
  options: ResolvedDatasetOptions,
): SkipReason | undefined {
  if (conversation.kind === 'group' && !options.includeGroups) return 'group';
  if (conversation.kind === 'posts' && !options.includePosts) return 'posts';
  if (options.platforms && !options.platforms.includes(conversation.platform))
    return 'not-selected';
  if (options.chats && !matchesChat(conversation, options.chats)) return 'not-selected';
  if (options.participants && !matchesParticipant(conversation, options.participants)) {
    return 'not-selected';
  }
  if (options.excludeChats.length > 0 && matchesChat(conversation, options.excludeChats)) {
    return 'excluded';
  }
  if (
    options.excludeParticipants.length > 0 &&
    matchesParticipant(conversation, options.excludeParticipants)
  ) {
    return 'excluded';
  }
  if (!conversation.participants.some((participant) => participant.self)) return 'no-self';
  return undefined;
}
