import { describe, expect, it } from 'vitest';
import { buildConversation, fnv1a } from './build-conversation.js';
import type { DraftMessage } from './draft.js';

function build(messages: DraftMessage[]) {
  return buildConversation({
    id: 'messenger:test',
    platform: 'messenger',
    format: 'messenger',
    file: 'message_1.json',
    title: null,
    participants: ['Alex Chen', 'Sam Rivera'],
    group: false,
    messages,
    isSelf: (name) => name === 'Sam Rivera',
  });
}

describe('buildConversation', () => {
  it('writes times as ISO 8601 at every edge of the day and of the calendar', () => {
    const times = [
      -86_400_001, 0, 1, 999, 999_999, 1_000_000, 86_399_999, 86_400_000, 951_782_399_999,
      951_868_800_000, 1_700_000_000_123, 253_402_300_799_999,
    ];
    const conversation = build(
      times.map((time) => ({ sender: 'Alex Chen', time, type: 'text', text: 'hi' })),
    );
    expect(conversation.messages.map((message) => message.time)).toEqual(
      times.map((time) => new Date(time).toISOString()),
    );
  });

  it('keys a message by its time and a hash of sender, type, text and first attachment', () => {
    const messages: DraftMessage[] = [
      { sender: 'Alex Chen', time: 1_700_000_000_123, type: 'text', text: 'café ❤️' },
      { sender: null, time: 5, type: 'system', text: 'Alex left the group.' },
      {
        sender: 'Sam Rivera',
        time: 1_700_000_000_124,
        type: 'media',
        text: '',
        attachments: [{ type: 'image', name: 'a.jpg', uri: 'photos/a.jpg' }],
      },
      {
        sender: 'Sam Rivera',
        time: 1_700_000_000_125,
        type: 'media',
        text: '',
        attachments: [{ type: 'image' }],
      },
    ];
    const ids = build(messages).messages.map((message) => message.id);
    const expected = [...messages]
      .sort((a, b) => a.time - b.time)
      .map((message) => {
        const first = message.attachments?.[0];
        return `${message.time}-${fnv1a(
          `${message.sender ?? ''}\u0000${message.type}\u0000${message.text}\u0000${first?.uri ?? first?.name ?? ''}`,
        )}`;
      });
    expect(ids).toEqual(expected);
  });

  it('hashes with 32-bit FNV-1a', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('foobar')).toBe('bf9cf968');
  });
});
