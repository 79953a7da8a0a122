import { describe, expect, it } from 'vitest';
import { AlteregoError } from './alterego-error.js';
import { MissingConfigError } from './missing-config-error.js';
import { ParseError } from './parse-error.js';
import { UnsupportedFormatError } from './unsupported-format-error.js';
import { ValidationError } from './validation-error.js';

describe('errors', () => {
  it('carry a place and a reason', () => {
    const error = new ParseError('expected a date at the start of the line', {
      file: 'chat.txt',
      line: 12,
      column: 1,
      ruleId: 'whatsapp:bad-date',
    });
    expect(error.message).toBe('chat.txt:12:1: expected a date at the start of the line');
    expect([error.file, error.line, error.column, error.ruleId, error.reason]).toEqual([
      'chat.txt',
      12,
      1,
      'whatsapp:bad-date',
      'expected a date at the start of the line',
    ]);
    expect(new ValidationError('bad', { file: 'a.jsonl', line: 3 }).message).toBe('a.jsonl:3: bad');
  });

  it('say how to fix a missing setting', () => {
    expect(
      new MissingConfigError({
        setting: 'apiKey',
        environmentVariable: 'OPENAI_API_KEY',
        flag: '--api-key',
      }).message,
    ).toBe(
      'apiKey is missing. Pass it with --api-key, or set OPENAI_API_KEY, or add "apiKey" to alterego.config.json.',
    );
  });

  it('are recognised by marker, also from another copy of the package', () => {
    const errors = [
      new ParseError('x', { file: 'f' }),
      new UnsupportedFormatError({ file: 'f', supported: ['A'] }),
      new ValidationError('x'),
      new MissingConfigError({ setting: 's' }),
    ];
    for (const error of errors) expect(AlteregoError.isInstance(error)).toBe(true);
    expect(ParseError.isInstance(errors[0])).toBe(true);
    expect(ParseError.isInstance(errors[2])).toBe(false);
    expect(UnsupportedFormatError.isInstance(errors[1])).toBe(true);
    expect(ValidationError.isInstance(errors[2])).toBe(true);
    expect(MissingConfigError.isInstance(errors[3])).toBe(true);
    expect(AlteregoError.isInstance(new Error('plain'))).toBe(false);
    expect(AlteregoError.isInstance(null)).toBe(false);
    // What a duplicated install of @alterego/core would create: same markers, other classes.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('alterego.error')]: true,
      [Symbol.for('alterego.error.parse')]: true,
    });
    expect(ParseError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof ParseError).toBe(false);
  });

  it('keep the cause', () => {
    const cause = new Error('inner');
    expect(new ValidationError('outer', { cause }).cause).toBe(cause);
  });
});
