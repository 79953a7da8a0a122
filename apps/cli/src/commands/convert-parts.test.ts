import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createZip } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../__fixtures__/cli.js';
import type { ConvertReport } from './convert.js';

const tempDir = useTempDirs();

/** One page of a Messenger thread, as the Facebook download writes it (newest first). */
function page(texts: [sender: string, time: number, text: string][]): string {
  return JSON.stringify({
    participants: [{ name: 'Mia Okafor' }, { name: 'Sam Rivera' }],
    messages: texts
      .map(([sender_name, timestamp_ms, content]) => ({ sender_name, timestamp_ms, content }))
      .reverse(),
    title: 'Mia Okafor',
    thread_path: 'inbox/miaokafor_42',
  });
}

describe('convert with an export in several parts', () => {
  it('reads the parts of one download together, so a split thread is one conversation', async () => {
    const dir = await tempDir();
    const thread = 'your_facebook_activity/messages/inbox/miaokafor_42';
    await writeFile(
      join(dir, 'facebook-part-1.zip'),
      createZip({
        [`${thread}/message_1.json`]: page([
          ['Mia Okafor', Date.UTC(2024, 1, 2, 10), 'see you friday'],
          ['Sam Rivera', Date.UTC(2024, 1, 2, 11), 'yes!'],
        ]),
      }),
    );
    await writeFile(
      join(dir, 'facebook-part-2.zip'),
      createZip({
        [`${thread}/message_2.json`]: page([
          ['Sam Rivera', Date.UTC(2024, 1, 1, 9), 'climbing this week?'],
        ]),
      }),
    );
    await writeFile(
      join(dir, 'chat.txt'),
      '1/4/23, 7:02 PM - Alex: hi\n1/4/23, 7:03 PM - Sam Rivera: hey\n',
    );
    const result = await runCli(
      [
        'convert',
        'facebook-part-1.zip',
        'chat.txt',
        'facebook-part-2.zip',
        '--me',
        'Sam Rivera',
        '--tz',
        'UTC',
        '--json',
        '-o',
        'out.jsonl',
      ],
      { cwd: dir, env: {} },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ConvertReport;
    expect(report.inputs.map((input) => [input.path, input.formats, input.messages])).toEqual([
      ['facebook-part-1.zip + facebook-part-2.zip', ['messenger'], 3],
      ['chat.txt', ['whatsapp'], 2],
    ]);
    const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n');
    const messenger = JSON.parse(lines[0]!) as {
      messages: { text: string }[];
      source: { file: string };
    };
    expect(messenger.messages.map((message) => message.text)).toEqual([
      'climbing this week?',
      'see you friday',
      'yes!',
    ]);
  });
});
