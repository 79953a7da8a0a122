import type { Message } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { ALEX, BOT, message, SAM, user } from './__fixtures__/exports.js';
import { convertMessage, instant, readUser, type MessageContext } from './convert-message.js';

function context(channelId = '5000'): MessageContext & { people: string[] } {
  const people: string[] = [];
  return {
    people,
    channelId: () => channelId,
    person(person) {
      if (!people.includes(person.id)) people.push(person.id);
      return person.id;
    },
  };
}

function convert(raw: Record<string, unknown>, ctx = context()): Message {
  const result = convertMessage(raw, ctx);
  if ('skipped' in result) throw new Error(result.skipped);
  return result.message;
}

describe('convertMessage', () => {
  it('converts a text message, its edit mark and its reply', () => {
    const converted = convert(
      message('2', ALEX, 'yes', {
        timestamp: '2024-03-01T14:00:00.5+02:00',
        timestampEdited: '2024-03-01T14:01:00+02:00',
        type: 'Reply',
        reference: { messageId: '1', channelId: '5000', guildId: null },
      }),
    );
    expect(converted).toEqual({
      id: '2',
      senderId: ALEX.id,
      time: '2024-03-01T12:00:00.500Z',
      type: 'text',
      text: 'yes',
      replyTo: '1',
      edited: true,
    });
  });

  it('leaves out references to other channels', () => {
    expect(
      convert(
        message('2', ALEX, 'x', { reference: { messageId: '1', channelId: '42', guildId: '1' } }),
      ).replyTo,
    ).toBeUndefined();
  });

  it('types attachments by file name, stickers as stickers, and embeds as links', () => {
    const files = convert(
      message('3', SAM, 'caption', {
        attachments: [
          { url: 'https://cdn/a/b/x.PNG?ex=1', fileName: 'x.PNG' },
          { url: 'https://cdn/a/b/y.gif', fileName: 'y.gif' },
          { url: 'https://cdn/a/b/z.webm', fileName: 'z.webm' },
          { url: 'https://cdn/a/b/v.ogg', fileName: 'voice-message.ogg' },
          { url: 'https://cdn/a/b/f.zip' },
        ],
      }),
    );
    expect(files).toMatchObject({ type: 'media', text: 'caption' });
    expect(files.attachments!.map((attachment) => [attachment.type, attachment.name])).toEqual([
      ['image', 'x.PNG'],
      ['gif', 'y.gif'],
      ['video', 'z.webm'],
      ['audio', 'voice-message.ogg'],
      ['file', 'f.zip'],
    ]);
    expect(
      convert(
        message('4', SAM, '', { stickers: [{ name: 'Wave', sourceUrl: 'https://s/8.png' }] }),
      ),
    ).toMatchObject({
      type: 'sticker',
      attachments: [{ type: 'sticker', name: 'Wave', uri: 'https://s/8.png' }],
    });
    expect(
      convert(
        message('5', SAM, 'https://e.com', { embeds: [{ url: 'https://e.com', title: 'E' }] }),
      ),
    ).toMatchObject({
      type: 'text',
      attachments: [{ type: 'link', name: 'E', uri: 'https://e.com' }],
    });
    expect(
      convert(message('6', BOT, '', { embeds: [{ title: 'Rules', description: 'be nice' }] })),
    ).toMatchObject({
      type: 'media',
      text: '',
    });
  });

  it('folds in reactions that list their users, custom emoji as :name:', () => {
    const ctx = context();
    const converted = convert(
      message('7', SAM, 'ok', {
        reactions: [
          { emoji: { id: '', name: '👍' }, count: 2, users: [user(ALEX), user(ALEX)] },
          { emoji: { id: '123', name: 'blob' }, count: 1, users: [user(SAM)] },
          { emoji: { id: null, name: '❤' }, count: 5 },
        ],
      }),
      ctx,
    );
    expect(converted.reactions).toEqual([
      { emoji: '👍', senderId: ALEX.id },
      { emoji: ':blob:', senderId: SAM.id },
    ]);
    expect(ctx.people).toEqual([SAM.id, ALEX.id]);
  });

  it('writes mentions and custom emoji the way Discord shows them', () => {
    expect(
      convert(message('8', SAM, '<@!222222222222222222> <a:dance:9>', { mentions: [user(ALEX)] }))
        .text,
    ).toBe('@Alex Chen :dance:');
  });

  it('makes calls calls and every other Discord line a system line', () => {
    expect(
      convert(message('9', SAM, 'Started a call that lasted 3 minutes.', { type: 'Call' })),
    ).toMatchObject({
      type: 'call',
      senderId: SAM.id,
      text: 'Started a call that lasted 3 minutes.',
    });
    expect(
      convert(message('10', ALEX, 'Added Priya to the group.', { type: 'RecipientAdd' })),
    ).toMatchObject({
      type: 'system',
      senderId: null,
      text: 'Added Priya to the group.',
    });
    expect(convert(message('11', ALEX, '', { type: 'ThreadCreated' })).text).toBe('Thread Created');
  });

  it('says why a message cannot be converted', () => {
    expect(convertMessage('x', context())).toEqual({
      skipped: 'a message that is not a JSON object',
    });
    expect(convertMessage({ content: 'x' }, context())).toEqual({
      skipped: 'a message without an id',
    });
    expect(convertMessage({ id: '1', timestamp: 'later' }, context())).toEqual({
      skipped: 'message 1 has no valid timestamp ("later")',
    });
    expect(
      convertMessage(
        { id: '1', timestamp: '2024-01-01T00:00:00+00:00', type: 'Default' },
        context(),
      ),
    ).toEqual({
      skipped: 'message 1 has no author',
    });
  });
});

describe('readUser and instant', () => {
  it('reads users, falling back on their user name', () => {
    expect(readUser(user(BOT))).toEqual({ id: BOT.id, name: 'Helper', isBot: true });
    expect(readUser({ id: '1', name: '', nickname: '  ' })).toEqual({
      id: '1',
      name: 'Unknown User',
      isBot: false,
    });
    expect(readUser({ name: 'x' })).toBeUndefined();
  });

  it('reads ISO times with an offset', () => {
    expect(instant('2019-01-04T17:52:39.762+00:00')).toBe('2019-01-04T17:52:39.762Z');
    expect(instant('2019-01-04T17:52:39.7623411-05:00')).toBe('2019-01-04T22:52:39.762Z');
    expect(instant('yesterday')).toBeUndefined();
    expect(instant(1)).toBeUndefined();
  });
});
