import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectParse, openInput, ParseError } from '@alterego/core';
import { describeParserConformance } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { tempDir } from './__fixtures__/chat-db.js';
import { imessageTxt, titleFromFileName } from './exporter-txt.js';

const DIRECT = [
  'May 17, 2022  5:29:42 PM (Read by them after 1 hour, 49 seconds)',
  'Me',
  'Hello world',
  'Reactions:',
  'Loved by +15550101234',
  '',
  '    May 17, 2022  5:31:00 PM',
  '    +15550101234',
  '    hi back',
  '',
  '',
  'May 17, 2022  5:31:00 PM',
  '+15550101234',
  'hi back',
  'This message responded to an earlier message.',
  '',
  'May 17, 2022 10:02:03 AM',
  '+15550101234',
  'attachments/262/1762.jpeg',
  'Sent with Slam',
  '',
  'May 18, 2022 12:00:00 AM',
  'Me',
  'Edited 1 hour, 49 seconds later: see you at 9',
  '',
  'May 18, 2022  1:00:00 AM',
  'Me',
  'You unsent this message part 2 seconds after sending!',
  '',
  'May 18, 2022  2:00:00 AM You renamed the conversation to Hello world',
  '',
  '',
].join('\n');

function write(name: string, content: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}

async function parse(path: string) {
  const input = await openInput(path);
  try {
    return await collectParse(imessageTxt.parse(input, { timeZone: 'America/New_York' }));
  } finally {
    await input.close();
  }
}

describeParserConformance({
  parser: imessageTxt,
  fixtures: [
    {
      name: 'direct conversation',
      input: () => write('+15550101234.txt', DIRECT),
      options: { timeZone: 'UTC' },
    },
  ],
});

describe('imessage-exporter txt', () => {
  it('reads blocks, reactions, replies, attachments, edits, unsends and announcements', async () => {
    const { conversations, warnings } = await parse(write('+15550101234.txt', DIRECT));
    expect(warnings).toEqual([]);
    const [conversation] = conversations;
    expect(conversation).toMatchObject({
      kind: 'direct',
      title: '+15550101234',
      platform: 'imessage',
    });
    expect(conversation!.source).toEqual({ format: 'imessage-txt', file: '+15550101234.txt' });
    expect(conversation!.participants).toEqual([
      { id: 'me', name: 'Me', self: true },
      { id: '+15550101234', name: '+15550101234', handles: ['+15550101234'], self: false },
    ]);
    expect(
      conversation!.messages.map(({ id, time, type, text, senderId }) => ({
        id,
        time,
        type,
        text,
        senderId,
      })),
    ).toEqual([
      {
        id: '17',
        time: '2022-05-17T14:02:03.000Z',
        type: 'media',
        text: '',
        senderId: '+15550101234',
      },
      {
        id: '1',
        time: '2022-05-17T21:29:42.000Z',
        type: 'text',
        text: 'Hello world',
        senderId: 'me',
      },
      {
        id: '12',
        time: '2022-05-17T21:31:00.000Z',
        type: 'text',
        text: 'hi back',
        senderId: '+15550101234',
      },
      {
        id: '22',
        time: '2022-05-18T04:00:00.000Z',
        type: 'text',
        text: 'see you at 9',
        senderId: 'me',
      },
      { id: '26', time: '2022-05-18T05:00:00.000Z', type: 'deleted', text: '', senderId: 'me' },
      {
        id: '30',
        time: '2022-05-18T06:00:00.000Z',
        type: 'system',
        text: 'You renamed the conversation to Hello world',
        senderId: null,
      },
    ]);
    const byId = (id: string) => conversation!.messages.find((message) => message.id === id)!;
    expect(byId('1').reactions).toEqual([{ emoji: '❤️', senderId: '+15550101234' }]);
    expect(byId('12').replyTo).toBe('1');
    expect(byId('17').attachments).toEqual([
      { type: 'image', name: '1762.jpeg', uri: 'attachments/262/1762.jpeg' },
    ]);
    expect(byId('22').edited).toBe(true);
  });

  it('titles conversations from the file name', () => {
    expect(titleFromFileName('Book Club - 12.txt')).toEqual({ title: 'Book Club', group: true });
    expect(titleFromFileName('Alex, Sam.txt')).toEqual({ title: 'Alex, Sam', group: true });
    expect(titleFromFileName('Alex.txt')).toEqual({ title: 'Alex', group: false });
  });

  it('does not claim other text files, and says what it expected', async () => {
    const path = write('notes.txt', 'just some notes\nnothing else\n');
    const input = await openInput(path);
    try {
      expect(await imessageTxt.detect(input)).toBeUndefined();
    } finally {
      await input.close();
    }
    const error = await parse(path).catch((caught: unknown) => caught);
    expect(ParseError.isInstance(error)).toBe(true);
    expect((error as ParseError).reason).toMatch(
      /^no imessage-exporter conversation found; expected/,
    );
  });
});
