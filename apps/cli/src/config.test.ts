import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './__fixtures__/cli.js';
import { CONFIG_FILE, envList, loadConfig } from './config.js';

const tempDir = useTempDirs();

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(
    ValidationError.isInstance(error),
    `expected a ValidationError, got ${String(error)}`,
  ).toBe(true);
  return error as ValidationError;
}

describe('loadConfig', () => {
  it('reads alterego.config.json from the working folder', async () => {
    const cwd = await tempDir();
    await writeFile(
      join(cwd, CONFIG_FILE),
      JSON.stringify({
        $schema: './schema.json',
        me: ['Sam Rivera'],
        timeZone: 'UTC',
        dayFirst: true,
      }),
    );
    expect(await loadConfig(cwd)).toEqual({
      $schema: './schema.json',
      me: ['Sam Rivera'],
      timeZone: 'UTC',
      dayFirst: true,
    });
  });

  it('is empty when the working folder has no config file', async () => {
    expect(await loadConfig(await tempDir())).toEqual({});
  });

  it('reads a named file, relative to the working folder or absolute', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'settings'));
    await writeFile(join(cwd, 'settings/mine.json'), '{ "me": ["Sam"] }');
    expect(await loadConfig(cwd, 'settings/mine.json')).toEqual({ me: ['Sam'] });
    expect(await loadConfig('/', join(cwd, 'settings/mine.json'))).toEqual({ me: ['Sam'] });
  });

  it('refuses a named file that is not there', async () => {
    const cwd = await tempDir();
    const error = await rejection(loadConfig(cwd, 'nope.json'));
    expect(error.message).toBe(`${join(cwd, 'nope.json')}: no such file; check the --config path`);
  });

  it('refuses invalid JSON and unknown or mistyped settings, naming the file and the setting', async () => {
    const cwd = await tempDir();
    const path = join(cwd, CONFIG_FILE);
    await writeFile(path, '{ "me": ["Sam"], }');
    expect((await rejection(loadConfig(cwd))).message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(`),
    );
    await writeFile(path, '{ "timezone": "UTC" }');
    expect((await rejection(loadConfig(cwd))).message).toMatch(
      /alterego\.config\.json: .*timezone/,
    );
    await writeFile(path, '{ "me": "Sam" }');
    expect((await rejection(loadConfig(cwd))).message).toMatch(/alterego\.config\.json: me: /);
    await writeFile(path, '{ "dayFirst": "yes" }');
    expect((await rejection(loadConfig(cwd))).message).toMatch(
      /alterego\.config\.json: dayFirst: /,
    );
  });
});

describe('envList', () => {
  it('splits on commas and drops blanks', () => {
    expect(envList('Sam Rivera, +1 555 0100 ,,sam_r')).toEqual([
      'Sam Rivera',
      '+1 555 0100',
      'sam_r',
    ]);
    expect(envList('Sam')).toEqual(['Sam']);
  });

  it('is undefined when nothing is left', () => {
    expect(envList(undefined)).toBeUndefined();
    expect(envList('')).toBeUndefined();
    expect(envList(' , ')).toBeUndefined();
  });
});
