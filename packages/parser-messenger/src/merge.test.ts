import { CONVERSATION_SCHEMA_ID, ConversationSchema, type Conversation } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { mergeConversations } from './merge.js';

function conversation(overrides: Partial<Conversation>): Conversation {
  return {
    schema: CONVERSATION_SCHEMA_ID,
    id: 'messenger:alex_1',
    platform: 'messenger',
    kind: 'direct',
    title: 'Alex',
    participants: [],
    messages: [],
    source: { format: 'messenger', file: 'part1.zip/messages/inbox/alex_1/message_1.json' },
    ...overrides,
  };
}

const msg = (id: string, time: string, text = id) => ({
  id,
  senderId: 'Alex',
  time,
  type: 'text' as const,
  text,
});

describe('mergeConversations', () => {
  it('joins messages by id in time order and participants by id', () => {
    const first = conversation({
      participants: [{ id: 'Alex', name: 'Alex', self: false }],
      messages: [msg('b', '2024-01-02T00:00:00.000Z'), msg('c', '2024-01-03T00:00:00.000Z')],
    });
    const second = conversation({
      title: null,
      participants: [
        { id: 'Alex', name: 'Alex', self: false },
        { id: 'Sam', name: 'Sam', self: true },
      ],
      messages: [
        msg('a', '2024-01-01T00:00:00.000Z'),
        msg('b', '2024-01-02T00:00:00.000Z', 'later copy'),
      ],
    });
    const merged = mergeConversations(first, second);
    expect(merged.messages.map((message) => [message.id, message.text])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
    ]);
    expect(merged.participants).toEqual([
      { id: 'Alex', name: 'Alex', self: false },
      { id: 'Sam', name: 'Sam', self: true },
    ]);
    expect(merged.title).toBe('Alex');
    expect(merged.source).toEqual(first.source);
    expect(ConversationSchema.safeParse(merged).success).toBe(true);
  });

  it('keeps at most one self and group wins over direct', () => {
    const merged = mergeConversations(
      conversation({ kind: 'direct', participants: [{ id: 'A', name: 'A', self: true }] }),
      conversation({ kind: 'group', participants: [{ id: 'B', name: 'B', self: true }] }),
    );
    expect(merged.participants.filter((participant) => participant.self)).toHaveLength(1);
    expect(merged.kind).toBe('group');
  });

  it('refuses conversations with different ids', () => {
    expect(() =>
      mergeConversations(conversation({}), conversation({ id: 'messenger:other' })),
    ).toThrow(TypeError);
  });
});
