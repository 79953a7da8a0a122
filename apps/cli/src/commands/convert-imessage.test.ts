import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../__fixtures__/cli.js';

const SAMPLES = fileURLToPath(new URL('../../../../samples/imessage', import.meta.url));
const tempDir = useTempDirs();

describe('convert a Messages database', () => {
  it('names numbers from --contacts, or from the config file', async () => {
    const dir = await tempDir();
    const flag = await runCli(
      [
        'convert',
        join(SAMPLES, 'chat.db'),
        '--contacts',
        join(SAMPLES, 'contacts.vcf'),
        '--me',
        'Sam Rivera',
        '-o',
        join(dir, 'flag.jsonl'),
      ],
      { cwd: dir, env: {} },
    );
    expect(flag.code).toBe(0);
    const conversation = JSON.parse(await readFile(join(dir, 'flag.jsonl'), 'utf8')) as {
      title: string;
      participants: { name: string; self: boolean }[];
    };
    expect(conversation.title).toBe('Jordan Lee');
    expect(conversation.participants.map((person) => [person.name, person.self])).toEqual([
      ['Sam Rivera', true],
      ['Jordan Lee', false],
    ]);

    const none = await runCli(['convert', join(SAMPLES, 'chat.db'), '--me', 'Sam Rivera'], {
      cwd: dir,
      env: {},
    });
    expect(none.stdout).toContain('"title":"+15550134567"');

    const fromEnv = await runCli(['convert', join(SAMPLES, 'chat.db'), '--me', 'Sam Rivera'], {
      cwd: dir,
      env: { ALTEREGO_CONTACTS: join(SAMPLES, 'contacts.vcf') },
    });
    expect(fromEnv.stdout).toContain('"title":"Jordan Lee"');
  });

  it('says which contacts file it cannot read', async () => {
    const dir = await tempDir();
    const result = await runCli(
      ['convert', join(SAMPLES, 'chat.db'), '--contacts', 'missing.vcf'],
      { cwd: dir, env: {} },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('missing.vcf');
  });
});
