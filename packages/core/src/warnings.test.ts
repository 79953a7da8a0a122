import { describe, expect, it } from 'vitest';
import type { Message } from './conversation.js';
import { rankSelfMatches } from './identity.js';
import { invalidElementWarning } from './json-stream.js';
import { createParseWarning } from './parser.js';

describe('createParseWarning', () => {
  it('prefixes the rule with the source and says skipped: false only for advice', () => {
    expect(
      createParseWarning('discord', 'dm.json', 'bad-message', 'no id; skipped', { line: 3 }),
    ).toEqual({
      file: 'dm.json',
      line: 3,
      ruleId: 'discord:bad-message',
      reason: 'no id; skipped',
      source: 'discord',
    });
    expect(
      createParseWarning('telegram', 'result.json', 'no-self', 'pass --me', { skipped: false }),
    ).toEqual({
      file: 'result.json',
      ruleId: 'telegram:no-self',
      reason: 'pass --me',
      source: 'telegram',
      skipped: false,
    });
  });
});

describe('invalidElementWarning', () => {
  it('names the element, its byte offset and what is wrong with it', () => {
    expect(
      invalidElementWarning(
        { type: 'invalid', path: ['messages', 4], line: 12, offset: 345, reason: 'not valid JSON' },
        { file: 'dm.json', source: 'discord', what: 'message' },
      ),
    ).toEqual({
      file: 'dm.json',
      line: 12,
      ruleId: 'discord:bad-message',
      reason: 'message at byte 345 is not valid JSON; skipped',
      source: 'discord',
    });
  });
});

describe('rankSelfMatches', () => {
  it('puts the one who sent most first and says so', () => {
    const sent = (senderId: string | null, index: number): Message => ({
      id: String(index),
      senderId,
      time: '2024-01-01T00:00:00Z',
      type: senderId === null ? 'system' : 'text',
      text: 'hi',
    });
    const messages = ['a', 'b', 'b', null, 'b', 'a'].map(sent);
    const { ranked, reason } = rankSelfMatches(
      [
        { id: 'a', name: 'Sam' },
        { id: 'b', name: 'Sam R' },
      ],
      messages,
    );
    expect(ranked.map((person) => person.id)).toEqual(['b', 'a']);
    expect(reason).toBe('"Sam R", "Sam" all match --me; marked "Sam R" as you');
  });
});
