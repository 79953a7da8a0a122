import {
  MissingConfigError,
  ParseError,
  UnsupportedFormatError,
  ValidationError,
} from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { CliError, exitCodeFor, formatError, InterruptedError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('exitCodeFor', () => {
  it('maps every kind of error to the exit code of the contract', () => {
    expect(exitCodeFor(new CliError('x', ExitCode.partial))).toBe(3);
    expect(exitCodeFor(new InterruptedError())).toBe(130);
    expect(exitCodeFor(new MissingConfigError({ setting: 'apiKey' }))).toBe(4);
    expect(exitCodeFor(new UnsupportedFormatError({ file: 'a', supported: ['A'] }))).toBe(2);
    expect(exitCodeFor(new ParseError('bad', { file: 'a' }))).toBe(2);
    expect(exitCodeFor(new ValidationError('bad'))).toBe(2);
    expect(exitCodeFor(errno('ENOENT'))).toBe(2);
    expect(exitCodeFor(errno('EACCES'))).toBe(2);
    expect(exitCodeFor(errno('EMFILE'))).toBe(1);
    expect(exitCodeFor(new TypeError('bug'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
    expect(exitCodeFor(undefined)).toBe(1);
  });
});

describe('formatError', () => {
  it('is one line: the first line of the message, prefixed with the command', () => {
    expect(formatError(new ValidationError('two\nlines'), false)).toBe('alterego: two');
    expect(formatError(new CliError('bad path', ExitCode.usage), false)).toBe('alterego: bad path');
  });

  it('points at --debug for errors alterego did not expect', () => {
    expect(formatError(new TypeError('x is undefined'), false)).toBe(
      'alterego: x is undefined (run with --debug for details)',
    );
    expect(formatError('thrown text', false)).toBe(
      'alterego: thrown text (run with --debug for details)',
    );
    expect(formatError({ odd: true }, false)).toBe(
      'alterego: {"odd":true} (run with --debug for details)',
    );
  });

  it('shows the stack and the cause with --debug', () => {
    const cause = new Error('inner problem');
    const text = formatError(new ValidationError('outer problem', { cause }), true);
    expect(text).toMatch(/^ValidationError: outer problem\n\s+at /);
    expect(text).toMatch(/\nCaused by: Error: inner problem\n\s+at /);
  });
});
