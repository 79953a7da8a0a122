import { describe, expect, it } from 'vitest';
import {
  createHeaderFields,
  matchHeader,
  parseHeader,
  readHeader,
  scanHeader,
  toHeader,
} from './header.js';

describe('parseHeader', () => {
  // Shapes phones write, with the invisible characters they really contain.
  it.each([
    ['[7/11/2017, 8:20:41 PM] someone: bla', [7, 11, 2017], [20, 20, 41], '[', 'someone: bla'],
    ['[31/12/2019, 2:14:40 a.m.] x: y', [31, 12, 2019], [2, 14, 40], '[', 'x: y'],
    [
      '[19.04.17, 20:43:09] John Doe: message 123',
      [19, 4, 17],
      [20, 43, 9],
      '[',
      'John Doe: message 123',
    ],
    [
      '[1.1.2019, 12.00.00] John Doe: Hello 😄',
      [1, 1, 2019],
      [12, 0, 0],
      '[',
      'John Doe: Hello 😄',
    ],
    ['2019-01-01 12:00 - John Doe: Hello 😄', [2019, 1, 1], [12, 0, 0], '', 'John Doe: Hello 😄'],
    ['12/9/20, 23:55 - Bob: hello', [12, 9, 20], [23, 55, 0], '', 'Bob: hello'],
    [
      '1/4/23, 7:02\u202FPM - Messages and calls are end-to-end encrypted.',
      [1, 4, 23],
      [19, 2, 0],
      '',
      'Messages and calls are end-to-end encrypted.',
    ],
    ['03.08.21, 12:30 - message 1', [3, 8, 21], [12, 30, 0], '', 'message 1'],
    [
      '20/6/2017 8:28 p.\u00A0m. - Michelle: test',
      [20, 6, 2017],
      [20, 28, 0],
      '',
      'Michelle: test',
    ],
    [
      '09/10/2023, 11:11\u202Fam - +44 7123 456789: <Media omitted>',
      [9, 10, 2023],
      [11, 11, 0],
      '',
      '+44 7123 456789: <Media omitted>',
    ],
    ['[01-29-2018, 23:33:00] Alice: Hello?', [1, 29, 2018], [23, 33, 0], '[', 'Alice: Hello?'],
    ['[2024/10/31 15:50:46] a: m', [2024, 10, 31], [15, 50, 46], '[', 'a: m'],
    ['3/6/18, 1:55 p.m. - a: m', [3, 6, 18], [13, 55, 0], '', 'a: m'],
    ['03-06-2018, 01.55 PM - a: m', [3, 6, 2018], [13, 55, 0], '', 'a: m'],
    ['13.06.18 21.25.15: a: m', [13, 6, 18], [21, 25, 15], '', 'a: m'],
    ['13.6.2018 klo 21.25.15 - a: m', [13, 6, 2018], [21, 25, 15], '', 'a: m'],
    ['13. 6. 2018. 21:25:15 a: m', [13, 6, 2018], [21, 25, 15], '', 'a: m'],
    ['[3/6/18 1:55:00 p. m.] a: m', [3, 6, 18], [13, 55, 0], '[', 'a: m'],
    ['\u200E[3/6/18 1:55:00 p. m.] a: m', [3, 6, 18], [13, 55, 0], '[', 'a: m'],
    ['3/6/2018 1:55 p.\u00A0m. - a: m', [3, 6, 2018], [13, 55, 0], '', 'a: m'],
    [
      '[12/1/24, 12:05:00\u202FAM] a: after midnight',
      [12, 1, 24],
      [0, 5, 0],
      '[',
      'a: after midnight',
    ],
    ['[2024/10/31 下午3:50:46] 小明: 你好', [2024, 10, 31], [15, 50, 46], '[', '小明: 你好'],
    ['2023. 1. 5. 오후 9:15 - 민수: 안녕', [2023, 1, 5], [21, 15, 0], '', '민수: 안녕'],
  ])('%s', (line, date, [hour, minute, second], bracket, rest) => {
    const header = parseHeader(line);
    expect(header).toBeDefined();
    expect(header!.date).toEqual(date);
    expect([header!.hour, header!.minute, header!.second]).toEqual([hour, minute, second]);
    expect(header!.bracket).toBe(bracket === '[');
    expect(header!.rest).toBe(rest);
  });

  it.each([
    ['plain text', 'see you at 10'],
    ['a time without a date', '10:30 - Alex: hi'],
    ['an hour past 23', '12/9/20, 24:10 - Bob: x'],
    ['a minute past 59', '12/9/20, 23:60 - Bob: x'],
    ['hour 13 with a meridiem', '12/9/20, 13:10 PM - Bob: x'],
    ['an unclosed bracket', '[12/9/20, 23:10 Bob: x'],
    ['mixed date separators', '12/9.20, 23:10 - Bob: x'],
    ['a month of zero', '0/9/20, 23:10 - Bob: x'],
  ])('rejects %s', (_, line) => {
    expect(parseHeader(line)).toBeUndefined();
  });

  it('gives lines of one export the same signature and another export a different one', () => {
    const ios = parseHeader('[7/11/2017, 8:20:41 PM] a: b')!;
    const ios2 = parseHeader('[7/12/2017, 10:00:00 AM] c: d')!;
    const android = parseHeader('7/11/17, 8:20 PM - a: b')!;
    expect(ios.signature).toBe(ios2.signature);
    expect(android.signature).not.toBe(ios.signature);
  });
});

describe('scanHeader', () => {
  const shapes = [
    '[7/11/2017, 8:20:41 PM] someone: bla',
    '[7/11/2017, 8:20:41\u202FPM] someone: bla',
    '12/9/20, 23:55 - Bob: hello',
    '1/4/23, 7:02\u202FPM - Alex: hi',
    '1/4/23, 7:02\u202Fpm – Alex: en dash',
    '03.08.21, 12:30 - message 1',
    '13.06.18 21.25.15: a: m',
    '13. 6. 2018. 21:25:15 a: m',
    '13. 6. 2018. 21:25:15 Amy: m',
    '[3/6/18 1:55:00 p. m.] a: m',
    '3/6/2018 1:55 p.\u00A0m. - a: m',
    '\u200E[3/6/18 1:55:00 a.m.] a: m',
    '[2024/10/31 15:50:46] a: m',
    '[2024/10/31 下午3:50:46] 小明: 你好',
    '13.6.2018 klo 21.25.15 - a: m',
    '1/1/21, 10:00',
    '1/1/21, 10:00 AM',
    '1/1/21, 10:00 AMx - a: b',
    '1/1/21, 10:00 em - a: b',
    '1/1/21, 10:00\u3000- a: b',
    '1/1/21,\u00A010:00 - a: b',
    '12/9/20, 24:10 - Bob: x',
    '12/9/20, 13:10 PM - Bob: x',
    '[12/9/20, 23:10 Bob: x',
    '12/9/20, 23:10] Bob: x',
    '12345/1/20, 10:00 - a: b',
    '1/1/20, 123:00 - a: b',
    '1. meet at 9',
    '2024-03-15, 14:32:18 - a: b',
    '0/9/20, 23:10 - Bob: x',
    '1/1/00, 10:00 - a: b',
  ];
  it.each(shapes.map((line) => [line]))('agrees with the regular expression on %j', (line) => {
    const fast = scanHeader(line);
    // The scanner may pass a line on to the regular expression, but what it reads must match.
    if (fast !== undefined) expect(fast).toEqual(matchHeader(line));
    expect(parseHeader(line)).toEqual(line.length < 8 ? undefined : matchHeader(line));
  });

  it('reads the common shapes itself', () => {
    for (const line of shapes.slice(0, 7)) expect(scanHeader(line), line).toBeDefined();
  });

  it.each(shapes.map((line) => [line]))('reads %j in place, between other lines', (line) => {
    const header = parseHeader(line);
    const surroundings: [string, string][] = [
      ['', ''],
      ['x\n', '\ny'],
      ['[1/1/21, 10:00] a: b\r\n', '\r\n1/1/21, 10:00 - a: b'],
      ['\r', '\r7/11/17, 8:20 PM'],
    ];
    for (const [before, after] of surroundings) {
      const text = `${before}${line}${after}`;
      const fields = createHeaderFields();
      const found = readHeader(text, before.length, before.length + line.length, fields);
      expect(found).toBe(header !== undefined);
      if (header === undefined) continue;
      expect(toHeader(text.slice(0, before.length + line.length), fields)).toEqual(header);
    }
  });
});
