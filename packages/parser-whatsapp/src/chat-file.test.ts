import type { Conversation, ParseWarning } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import {
  ANDROID_DIRECT_ES,
  ANDROID_DIRECT_US,
  ANDROID_GROUP_DE,
  DASHES_MONTH_FIRST,
  FINNISH,
  IOS_GROUP_2024,
  YEAR_FIRST_ZH,
} from './__fixtures__/chats.js';
import { ChatFileReader, lowerFirst } from './chat-file.js';

const NNBSP = '\u202F';

function reader(options: { dayFirst?: boolean } = {}) {
  return new ChatFileReader({
    file: 'chat.txt',
    sourceFile: 'chat.txt',
    title: 'Crew',
    timeZone: 'America/New_York',
    me: ['Sam Rivera'],
    dayFirst: options.dayFirst,
  });
}

/** Reads `bytes` fed in pieces that end at `cuts`. */
function read(
  bytes: Uint8Array,
  cuts: readonly number[] = [],
): { conversation: Conversation | undefined; warnings: ParseWarning[] } {
  const file = reader();
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    file.write(bytes.subarray(start, cut));
    start = cut;
  }
  return file.finish();
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

const FIXTURES = {
  IOS_GROUP_2024,
  ANDROID_DIRECT_US,
  ANDROID_GROUP_DE,
  ANDROID_DIRECT_ES,
  FINNISH,
  YEAR_FIRST_ZH,
  DASHES_MONTH_FIRST,
};

describe('ChatFileReader', () => {
  // Every place a chunk can end: inside a header, inside a character of two to four bytes, between
  // the "\r" and "\n" of a line break, inside a byte-order mark, before and after a lone "\r".
  it.each(Object.entries(FIXTURES))('reads %s the same in chunks cut anywhere', (_, chat) => {
    const bytes = encode(`${chat}\r\n`);
    const whole = JSON.stringify(read(bytes));
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(JSON.stringify(read(bytes, [cut])), `cut at byte ${cut}`).toBe(whole);
    }
    for (let cut = 0; cut + 3 <= bytes.length; cut += 7) {
      expect(JSON.stringify(read(bytes, [cut, cut + 1, cut + 3]))).toBe(whole);
    }
  });

  it('joins a message of many lines across chunks, whatever ends its lines', () => {
    const lines = [
      `1/4/23, 7:02${NNBSP}PM - Alex Chen: the plan:`,
      '1. meet at 9',
      '',
      '2. bring water 💧',
      `1/4/23, 7:03${NNBSP}PM - Sam Rivera: ok`,
    ];
    for (const lineEnd of ['\n', '\r\n', '\r']) {
      const bytes = encode(lines.join(lineEnd));
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        const { conversation } = read(bytes, [cut]);
        expect(conversation!.messages.map((message) => message.text)).toEqual([
          'the plan:\n1. meet at 9\n\n2. bring water 💧',
          'ok',
        ]);
      }
    }
  });

  it('reads a line longer than many chunks', () => {
    const long = 'la '.repeat(100_000);
    const bytes = encode(
      `1/4/23, 7:02${NNBSP}PM - Alex Chen: ${long}\n1/4/23, 7:03${NNBSP}PM - Sam Rivera: ok`,
    );
    const file = reader();
    for (let start = 0; start < bytes.length; start += 1000) {
      file.write(bytes.subarray(start, start + 1000));
    }
    const { conversation } = file.finish();
    expect(conversation!.messages.map((message) => message.text)).toEqual([long, 'ok']);
  });

  it('drops the byte-order mark only at the start of the file', () => {
    const bytes = encode(`\uFEFF1/4/23, 7:02${NNBSP}PM - Alex Chen: a\uFEFFb`);
    for (let cut = 0; cut <= 4; cut += 1) {
      const { conversation } = read(bytes, [cut]);
      expect(conversation!.messages[0]!.id).toBe('1');
      expect(conversation!.messages[0]!.text).toBe('ab');
    }
  });

  it('puts messages in time order, keeping file order for equal times', () => {
    // Far more out of order than a clock change, which takes the full sort.
    const count = 3000;
    const lines: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const minute = count - index;
      lines.push(
        `1/${1 + Math.floor(minute / 1440)}/23, ${Math.floor((minute % 1440) / 60)}:${String(minute % 60).padStart(2, '0')} - ${index % 2 ? 'Alex Chen' : 'Sam Rivera'}: message ${index}`,
        `1/${1 + Math.floor(minute / 1440)}/23, ${Math.floor((minute % 1440) / 60)}:${String(minute % 60).padStart(2, '0')} - Alex Chen: same time ${index}`,
      );
    }
    for (const text of [lines.join('\n'), lines.slice(0, 40).join('\n')]) {
      const { conversation } = read(encode(text));
      const messages = conversation!.messages;
      const expected = [...messages].sort(
        (a, b) => Date.parse(a.time) - Date.parse(b.time) || Number(a.id) - Number(b.id),
      );
      expect(messages.map((message) => message.id)).toEqual(expected.map((message) => message.id));
      expect(messages).toHaveLength(text.split('\n').length);
    }
  });

  it('reads a name of up to 80 characters before ": ", and "Name:" with an empty body', () => {
    const long = `${'x'.repeat(79)}y`;
    const { conversation } = read(
      encode(
        [
          `1/2/23, 9:00 - Sam Rivera: hi`,
          `1/2/23, 9:01 - ${long}: at most 80`,
          `1/2/23, 9:02 - ${long}z: one over`,
          `1/2/23, 9:03 - Alex Chen:`,
          // Earlier the same day, and no name: text pasted into the message before.
          `1/2/23, 8:00 - ${long}z: pasted`,
          `1/2/23, 8:00 - Alex Chen: not pasted, out of order`,
        ].join('\n'),
      ),
    );
    const messages = conversation!.messages;
    const byId = (id: string) => messages.find((message) => message.id === id);
    expect(byId('2')).toMatchObject({ senderId: long, text: 'at most 80' });
    expect(byId('3')).toMatchObject({ senderId: null, type: 'system' });
    expect(byId('4')?.senderId).toBe('Alex Chen');
    expect(byId('4')?.type).not.toBe('system');
    expect(byId('4')?.text).toBe(`\n1/2/23, 8:00 - ${long}z: pasted`);
    expect(byId('5')).toBeUndefined();
    expect(byId('6')).toMatchObject({ senderId: 'Alex Chen', text: 'not pasted, out of order' });
  });
});

describe('placeholders read once', () => {
  it('give every message objects of its own', () => {
    const line = (minute: number, body: string) =>
      `1/4/23, 7:${String(minute).padStart(2, '0')}${NNBSP}PM - Alex Chen: ${body}`;
    const body = 'IMG-20230113-WA0003.jpg (file attached)';
    const { conversation } = read(
      encode(
        [line(1, body), line(2, body), line(3, '<Media omitted>'), line(4, '<Media omitted>')].join(
          '\n',
        ),
      ),
    );
    const [first, second, third, fourth] = conversation!.messages;
    expect(first!.attachments).toEqual(second!.attachments);
    expect(first!.attachments).not.toBe(second!.attachments);
    expect(first!.attachments![0]).not.toBe(second!.attachments![0]);
    expect(third).toEqual({ ...fourth, id: third!.id, time: third!.time });
  });
});

describe('lowerFirst', () => {
  it('is the first code unit of toLowerCase, or -1', () => {
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      for (const rest of ['', 'a', 'Σ', ' x', '\u0307']) {
        const text = String.fromCharCode(code) + rest;
        const lower = lowerFirst(text);
        if (lower !== -1 && lower !== text.toLowerCase().charCodeAt(0))
          wrong.push(code.toString(16));
      }
    }
    for (let code = 0x10000; code <= 0x10ffff; code += 1) {
      const text = `${String.fromCodePoint(code)}b`;
      if (lowerFirst(text) !== text.toLowerCase().charCodeAt(0)) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(lowerFirst('')).toBe(-1);
    expect(lowerFirst('Σ')).toBe(-1);
  });
});
