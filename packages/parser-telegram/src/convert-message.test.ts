import type { Message } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { convertMessage, type MessageContext } from './convert-message.js';

function context(): MessageContext & { people: Map<string, unknown> } {
  const people = new Map<string, unknown>();
  return {
    timeZone: 'UTC',
    people,
    person(rawId, name) {
      const id = String(rawId);
      people.set(id, name);
      return id;
    },
  };
}

const base = { id: 5, type: 'message', date_unixtime: '1700000000', from: 'Sam', from_id: 'user1' };

function convert(raw: Record<string, unknown>, ctx = context()): Message {
  const result = convertMessage(raw, ctx);
  if ('skipped' in result) throw new Error(result.skipped);
  return result.message;
}

describe('convertMessage', () => {
  it('converts a text message with its sender, time, reply and edit mark', () => {
    expect(
      convert({ ...base, text: 'hi', reply_to_message_id: 4, edited_unixtime: '1700000100' }),
    ).toEqual({
      id: '5',
      senderId: 'user1',
      time: '2023-11-14T22:13:20.000Z',
      type: 'text',
      text: 'hi',
      replyTo: '4',
      edited: true,
    });
  });

  it('leaves out replies to messages of another chat', () => {
    expect(
      convert({ ...base, text: 'x', reply_to_message_id: 4, reply_to_peer_id: 'channel9' }).replyTo,
    ).toBeUndefined();
  });

  it('types forwarded messages as reposts: the words are someone else’s', () => {
    expect(convert({ ...base, forwarded_from: 'News', text: 'headline' })).toMatchObject({
      type: 'repost',
      text: 'headline',
    });
    expect(
      convert({ ...base, forwarded_from: null, photo: 'photos/a.jpg', text: '' }),
    ).toMatchObject({ type: 'repost', attachments: [{ type: 'image', uri: 'photos/a.jpg' }] });
  });

  it('types media by media_type and keeps a caption as text', () => {
    const cases: [Record<string, unknown>, Partial<Message>][] = [
      [
        { media_type: 'sticker', sticker_emoji: '😂', file: 'stickers/s.webp' },
        { type: 'sticker', attachments: [{ type: 'sticker', name: '😂', uri: 'stickers/s.webp' }] },
      ],
      [
        {
          media_type: 'voice_message',
          file: '(File not included. Change data exporting settings to download.)',
        },
        { type: 'media', attachments: [{ type: 'audio' }] },
      ],
      [
        { media_type: 'audio_file', file: 'files/song.mp3', title: 'Song' },
        { type: 'media', attachments: [{ type: 'audio', name: 'Song', uri: 'files/song.mp3' }] },
      ],
      [
        { media_type: 'video_message', file: 'round_video_messages/v.mp4' },
        {
          type: 'media',
          attachments: [{ type: 'video', name: 'v.mp4', uri: 'round_video_messages/v.mp4' }],
        },
      ],
      [
        { media_type: 'animation', file: 'video_files/a.mp4' },
        { type: 'media', attachments: [{ type: 'gif', name: 'a.mp4', uri: 'video_files/a.mp4' }] },
      ],
      [
        { photo: 'photos/p.jpg', text: 'look' },
        { type: 'media', text: 'look', attachments: [{ type: 'image', uri: 'photos/p.jpg' }] },
      ],
      [
        { file: 'files/x.png', mime_type: 'image/png' },
        { type: 'media', attachments: [{ type: 'image', name: 'x.png', uri: 'files/x.png' }] },
      ],
      [
        { file: 'files/doc.pdf', file_name: 'Doc.pdf', mime_type: 'application/pdf' },
        { type: 'media', attachments: [{ type: 'file', name: 'Doc.pdf', uri: 'files/doc.pdf' }] },
      ],
      [
        { dice: { emoji: '🎲', value: 3 }, text: '' },
        { type: 'media', text: '' },
      ],
    ];
    for (const [fields, expected] of cases) {
      expect(convert({ ...base, text: '', ...fields }), JSON.stringify(fields)).toMatchObject(
        expected,
      );
    }
  });

  it('types polls, locations and contacts', () => {
    expect(convert({ ...base, text: '', poll: { question: 'Pizza?', answers: [] } })).toMatchObject(
      {
        type: 'poll',
        text: 'Pizza?',
      },
    );
    expect(
      convert({
        ...base,
        text: '',
        location_information: { latitude: 1.5, longitude: -2 },
        place_name: 'Park',
      }),
    ).toMatchObject({
      type: 'location',
      attachments: [{ type: 'location', name: 'Park', uri: 'geo:1.5,-2' }],
    });
    expect(
      convert({
        ...base,
        text: '',
        contact_information: { first_name: 'Priya', last_name: '', phone_number: '+1 555' },
      }),
    ).toMatchObject({ type: 'contact', attachments: [{ type: 'contact', name: 'Priya' }] });
  });

  it('folds reactions with their people in, once per person and emoji', () => {
    const ctx = context();
    const message = convert(
      {
        ...base,
        text: 'ok',
        reactions: [
          {
            type: 'emoji',
            count: 3,
            emoji: '👍',
            recent: [
              { from: 'Alex', from_id: 'user2' },
              { from: 'Alex', from_id: 'user2' },
              { from: null, from_id: 'user3' },
            ],
          },
          {
            type: 'custom_emoji',
            count: 1,
            document_id: 'x',
            recent: [{ from: 'Sam', from_id: 'user1' }],
          },
          { type: 'paid', count: 1, recent: [{ from: 'Sam', from_id: 'user1' }] },
          { type: 'emoji', count: 9, emoji: '🔥' },
        ],
      },
      ctx,
    );
    expect(message.reactions).toEqual([
      { emoji: '👍', senderId: 'user2' },
      { emoji: '👍', senderId: 'user3' },
      { emoji: ':custom_emoji:', senderId: 'user1' },
      { emoji: '⭐', senderId: 'user1' },
    ]);
    expect([...ctx.people.keys()]).toEqual(['user1', 'user2', 'user3']);
  });

  it('makes service messages system lines without a sender, and calls calls', () => {
    const service = {
      id: 1,
      type: 'service',
      date_unixtime: '1700000000',
      actor: 'Sam',
      actor_id: 'user1',
      text: '',
    };
    expect(
      convert({ ...service, action: 'invite_members', members: ['Alex', null] }),
    ).toMatchObject({
      senderId: null,
      type: 'system',
      text: 'Sam added Alex, someone',
    });
    expect(convert({ ...service, action: 'edit_group_title', title: 'Crew' }).text).toBe(
      'Sam changed the group name to "Crew"',
    );
    expect(convert({ ...service, action: 'boost_apply' }).text).toBe('Sam: boost apply');
    expect(convert({ ...service, action: 'phone_call', discard_reason: 'missed' })).toMatchObject({
      senderId: 'user1',
      type: 'call',
      text: 'Sam: missed call',
    });
    expect(convert({ ...service, action: 'group_call', duration_seconds: 1 }).text).toBe(
      'Sam: call, 1 second',
    );
  });

  it('reads the zoneless date in the given zone when there is no date_unixtime', () => {
    const ctx = { ...context(), timeZone: 'America/New_York' };
    expect(
      convert(
        {
          id: 1,
          type: 'message',
          date: '2019-07-12T16:55:32',
          from: 'a',
          from_id: 'user1',
          text: 'x',
        },
        ctx,
      ).time,
    ).toBe('2019-07-12T20:55:32.000Z');
  });

  it('says why a message cannot be converted', () => {
    expect(convertMessage([], context())).toEqual({
      skipped: 'a message that is not a JSON object',
    });
    expect(convertMessage({ type: 'message' }, context())).toEqual({
      skipped: 'a message without an id',
    });
    expect(convertMessage({ id: 3, date: 'never' }, context())).toEqual({
      skipped: 'message 3 has no valid time (date_unixtime undefined, date "never")',
    });
  });
});
