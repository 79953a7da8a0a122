import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeJsonlAtomic } from '@alterego/core';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listDir, makeConversation, runCli, useTempDirs } from '../__fixtures__/cli.js';
import { ReportDataSchema } from './report.js';

const SAMPLES = fileURLToPath(new URL('../../../../samples', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const tempDir = useTempDirs();
const env = { TZ: 'UTC' };

/** A dataset folder built from the samples with the real `build`. */
async function buildSampleDataset(cwd: string): Promise<void> {
  const built = await runCli(
    [
      'build',
      join(SAMPLES, 'whatsapp'),
      join(SAMPLES, 'messenger'),
      join(SAMPLES, 'telegram'),
      join(SAMPLES, 'discord'),
      '--me',
      'Sam Rivera',
      '--tz',
      'America/New_York',
      '--groups',
      '-o',
      'dataset',
    ],
    { cwd, env },
  );
  expect(built.code, built.stderr).toBe(0);
}

describe('alterego report', () => {
  it('writes one self-contained page and prints the data behind it with --json', async () => {
    const cwd = await tempDir();
    await buildSampleDataset(cwd);
    const result = await runCli(
      [
        'report',
        join(SAMPLES, 'whatsapp'),
        join(SAMPLES, 'messenger'),
        join(SAMPLES, 'telegram'),
        join(SAMPLES, 'discord'),
        '--me',
        'Sam Rivera',
        '--tz',
        'America/New_York',
        '--dataset',
        'dataset',
        '--json',
      ],
      { cwd, env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = ReportDataSchema.parse(JSON.parse(result.stdout));
    expect(data.title).toBe('Sam Rivera');
    expect(data.totals?.chats).toBe(5);
    expect(data.activity?.platforms).toEqual(['whatsapp', 'messenger', 'telegram', 'discord']);
    expect(data.dataset?.path).toBe('dataset');
    expect(data.dataset?.examples.train).toBeGreaterThan(0);
    const html = await readFile(join(cwd, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Nothing from elsewhere: no scripts, no links or sources that leave the page.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\s(?:src|href)=|url\(|@import/i);
    expect(html).toMatch(/prefers-color-scheme:dark/);
    expect(await listDir(cwd)).toEqual(['dataset', 'report.html']);
  });

  it('escapes every text from the exports', async () => {
    const cwd = await tempDir();
    const conversation = makeConversation('x', 4);
    conversation.title = '<script>alert("hi")</script> & <b>friends</b>';
    conversation.participants[1]!.name = '<img src=x onerror=alert(1)>';
    await writeJsonlAtomic(join(cwd, 'all.jsonl'), [conversation]);
    const result = await runCli(
      ['report', 'all.jsonl', '--me', '"><svg onload=alert(1)>', '-o', 'out/page.html'],
      { cwd, env },
    );
    expect(result.code).toBe(0);
    expect(result.stderrLines).toEqual([
      'wrote out/page.html (open it in a browser, or add --open)',
    ]);
    const html = await readFile(join(cwd, 'out', 'page.html'), 'utf8');
    expect(html).not.toMatch(/<script|<img|<svg onload|<b>friends/i);
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; &lt;b&gt;friends&lt;/b&gt;',
    );
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;');
  });

  it('reports on a dataset alone, and says what is missing (exit 2)', async () => {
    const cwd = await tempDir();
    await buildSampleDataset(cwd);
    const alone = await runCli(['report', '--dataset', 'dataset', '--json'], { cwd, env });
    expect(alone.code).toBe(0);
    const data = ReportDataSchema.parse(JSON.parse(alone.stdout));
    expect(data.totals).toBeNull();
    expect(data.dataset?.messages.read).toBeGreaterThan(0);

    const nothing = await runCli(['report'], { cwd: await tempDir(), env });
    expect(nothing.code).toBe(2);
    expect(nothing.stderrLines).toHaveLength(1);
    expect(nothing.stderr).toMatch(
      /^alterego: nothing to report on: give export files or folders, or --dataset DIR/,
    );

    const missing = await runCli(['report', '--dataset', 'nowhere'], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderrLines).toEqual([
      'alterego: nowhere/manifest.json: no such file; expected a dataset folder written by "alterego build -o nowhere"',
    ]);
    await writeFile(join(cwd, 'dataset', 'manifest.json'), '{"schema": 1}');
    const broken = await runCli(['report', '--dataset', 'dataset'], { cwd, env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^alterego: dataset\/manifest\.json: not a dataset manifest of this version/,
    );
  });

  it('renders in headless Chromium with every chart, loading nothing', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    }
    const cwd = await tempDir();
    await buildSampleDataset(cwd);
    const result = await runCli(
      [
        'report',
        SAMPLES,
        '--contacts',
        join(SAMPLES, 'imessage', 'contacts.vcf'),
        '--me',
        'Sam Rivera',
        '--tz',
        'America/New_York',
        '--dataset',
        'dataset',
      ],
      { cwd, env },
    );
    expect(result.code, result.stderr).toBe(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
        const requests: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(pathToFileURL(join(cwd, 'report.html')).href);
        expect(await page.title()).toBe('Sam Rivera · alterego report');
        expect(await page.locator('#chart-months rect').count()).toBeGreaterThan(20);
        expect(await page.locator('#chart-lengths rect').count()).toBe(8);
        expect(await page.locator('#chart-hours rect').count()).toBe(7 * 24);
        expect(await page.locator('#top-chats li').count()).toBe(8);
        expect(await page.locator('#dataset-filtered li').count()).toBe(7);
        expect(await page.locator('#dataset-redacted li').count()).toBe(6);
        expect(await page.locator('#dataset-cost tbody tr').count()).toBeGreaterThan(1);
        const box = await page.locator('#chart-months').boundingBox();
        expect(box!.width).toBeGreaterThan(800);
        expect(box!.height).toBeGreaterThan(200);
        expect(requests).toHaveLength(1);
        expect(requests[0]).toMatch(/^file:/);
        expect(errors).toEqual([]);
        await mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({
          path: join(ARTIFACTS, colorScheme === 'light' ? 'report.png' : 'report-dark.png'),
          fullPage: true,
        });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
