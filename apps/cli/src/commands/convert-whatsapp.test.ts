import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Conversation, readConversationsJsonl } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { listDir, runCli, useTempDirs } from '../__fixtures__/cli.js';

/** The bundled sample exports of Sam Rivera, a fictional person: a direct .txt and a group .zip. */
const SAMPLES = fileURLToPath(new URL('../../../../samples/whatsapp', import.meta.url));

const tempDir = useTempDirs();

async function readJsonl(path: string): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  for await (const conversation of readConversationsJsonl(createReadStream(path), { file: path })) {
    conversations.push(conversation);
  }
  return conversations;
}

function parseStdout(stdout: string): Conversation[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Conversation);
}

const selfNames = (conversation: Conversation) =>
  conversation.participants
    .filter((participant) => participant.self)
    .map((participant) => participant.name);

describe('alterego convert: the WhatsApp sample exports', () => {
  it('a folder with a .txt and a .zip gives 2 conversations, Sam Rivera the one self in each', async () => {
    const cwd = await tempDir();
    const result = await runCli(
      [
        'convert',
        SAMPLES,
        '--me',
        'Sam Rivera',
        '--tz',
        'America/New_York',
        '-o',
        'conversations.jsonl',
        '--json',
      ],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const conversations = await readJsonl(join(cwd, 'conversations.jsonl'));
    expect(conversations).toHaveLength(2);
    expect(conversations.map((conversation) => conversation.kind).sort()).toEqual([
      'direct',
      'group',
    ]);
    for (const conversation of conversations) {
      expect(conversation.platform).toBe('whatsapp');
      expect(selfNames(conversation)).toEqual(['Sam Rivera']);
    }
    const report = JSON.parse(result.stdout) as {
      inputs: unknown[];
      warnings: unknown[];
      messages: number;
    };
    expect(report.inputs).toEqual([
      {
        path: SAMPLES,
        formats: ['whatsapp'],
        conversations: 2,
        messages: conversations.reduce(
          (sum, conversation) => sum + conversation.messages.length,
          0,
        ),
      },
    ]);
    expect(report.warnings).toEqual([]);
    expect(await listDir(cwd)).toEqual(['conversations.jsonl']);
  });

  it('the same conversations from the .txt and the .zip given one by one, in that order', async () => {
    const cwd = await tempDir();
    const whole = parseStdout(
      (await runCli(['convert', SAMPLES, '--me', 'Sam Rivera', '--tz', 'UTC'], { cwd })).stdout,
    );
    const result = await runCli(
      [
        'convert',
        join(SAMPLES, 'WhatsApp Chat with Alex Chen.txt'),
        join(SAMPLES, 'WhatsApp Chat - Weekend Crew.zip'),
        '--me',
        'Sam Rivera',
        '--tz',
        'UTC',
      ],
      { cwd },
    );
    expect(result.code).toBe(0);
    const single = parseStdout(result.stdout);
    expect(single.map((conversation) => conversation.kind)).toEqual(['direct', 'group']);
    const ids = (list: Conversation[]) => list.map((conversation) => conversation.id).sort();
    expect(ids(single)).toEqual(ids(whole));
    const messages = (list: Conversation[]) => list.map((conversation) => conversation.messages);
    expect(messages([...single].sort((a, b) => a.id.localeCompare(b.id)))).toEqual(
      messages([...whole].sort((a, b) => a.id.localeCompare(b.id))),
    );
  });

  it('without --me nobody is marked as self, and notes on stderr say how to fix it', async () => {
    const cwd = await tempDir();
    const result = await runCli(['convert', SAMPLES, '--tz', 'America/New_York'], { cwd });
    expect(result.code).toBe(0);
    const conversations = parseStdout(result.stdout);
    expect(conversations).toHaveLength(2);
    for (const conversation of conversations) expect(selfNames(conversation)).toEqual([]);
    const notes = result.stderrLines.filter((line) => line.startsWith('note: '));
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(note).toContain('--me');
  });

  it('--me from ALTEREGO_ME and alterego.config.json, a flag over both', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'alterego.config.json'), JSON.stringify({ me: ['Priya Nair'] }));
    const selves = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const result = await runCli(['convert', SAMPLES, '--tz', 'UTC', ...argv], { cwd, env });
      expect(result.code).toBe(0);
      return Object.fromEntries(
        parseStdout(result.stdout).map((conversation) => [
          conversation.kind,
          selfNames(conversation),
        ]),
      );
    };
    // Priya is only in the group chat.
    expect(await selves([])).toEqual({ direct: [], group: ['Priya Nair'] });
    expect(await selves([], { ALTEREGO_ME: 'sam rivera' })).toEqual({
      direct: ['Sam Rivera'],
      group: ['Sam Rivera'],
    });
    expect(await selves(['--me', 'Alex Chen'], { ALTEREGO_ME: 'Sam Rivera' })).toEqual({
      direct: ['Alex Chen'],
      group: [],
    });
  });

  it('--tz turns the wall-clock times into instants; a flag over ALTEREGO_TZ over the config file', async () => {
    const cwd = await tempDir();
    const firstTimes = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const result = await runCli(['convert', SAMPLES, '--me', 'Sam Rivera', ...argv], {
        cwd,
        env,
      });
      expect(result.code).toBe(0);
      return parseStdout(result.stdout).map((conversation) =>
        Date.parse(conversation.messages[0]!.time),
      );
    };
    const utc = await firstTimes(['--tz', 'UTC']);
    const newYork = await firstTimes(['--tz', 'America/New_York']);
    // Sam's phone is in New York: the same wall-clock time is 4 or 5 hours later in UTC.
    for (const [index, time] of newYork.entries()) {
      expect([4, 5]).toContain((time - utc[index]!) / 3_600_000);
    }
    expect(await firstTimes([], { ALTEREGO_TZ: 'America/New_York' })).toEqual(newYork);
    expect(await firstTimes(['--tz', 'America/New_York'], { ALTEREGO_TZ: 'UTC' })).toEqual(newYork);
    await writeFile(
      join(cwd, 'alterego.config.json'),
      JSON.stringify({ timeZone: 'America/New_York' }),
    );
    expect(await firstTimes([])).toEqual(newYork);
    expect(await firstTimes([], { ALTEREGO_TZ: 'UTC' })).toEqual(utc);
  });
});
