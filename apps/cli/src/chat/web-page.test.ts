// The web chat page in Debian's headless Chromium, answered by the real retrieval backend.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture, useTempDirs } from '../__fixtures__/cli.js';
import type { CliIO } from '../io.js';
import { writeFixtureDataset } from './__fixtures__/dataset.js';
import { openChatSession } from './runtime.js';
import type { ChatSession } from './session.js';
import { chatSettings } from './settings.js';
import { initials, renderChatPage } from './web-page.js';
import { startWebChat, type WebChat } from './web-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts', import.meta.url));

const tempDir = useTempDirs();
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the web chat page is tested in Debian's Chromium; install it with: apt-get install -y chromium`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

async function serve(): Promise<{ session: ChatSession; web: WebChat; close(): Promise<void> }> {
  const dir = await tempDir();
  await writeFixtureDataset(join(dir, 'dataset'));
  const io: CliIO = {
    stdout: new Capture(),
    stderr: new Capture(),
    env: { ALTEREGO_HOME: join(dir, 'home') },
    cwd: dir,
    signal: new AbortController().signal,
  };
  const session = await openChatSession(await chatSettings({}, io), { memoryFile: ':memory:' });
  const web = await startWebChat({ session });
  return {
    session,
    web,
    async close() {
      await web.close();
      await session.close();
    },
  };
}

/** The messages of every API request the page makes. */
function recordBatches(page: Page): string[][] {
  const batches: string[][] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/messages')) {
      batches.push((request.postDataJSON() as { messages: string[] }).messages);
    }
  });
  return batches;
}

const theirBubbles = (page: Page) => page.locator('.bubble.theirs').allTextContents();

describe('the web chat page', () => {
  it('batches quick messages, shows the typing dots, then the reply bubble by bubble', async () => {
    const server = await serve();
    const page = await browser.newPage({ viewport: { width: 760, height: 940 } });
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const batches = recordBatches(page);
      await page.goto(server.web.url);
      await expect(page.locator('#name').textContent()).resolves.toBe('Sam Rivera');
      await expect(page.locator('.avatar').textContent()).resolves.toBe('SR');
      expect(await page.locator('#send').isDisabled()).toBe(true);

      // Two quick messages: one request with both, sent after the pause.
      await page.locator('#text').fill('pizza tonight?');
      await page.keyboard.press('Enter');
      await page.locator('#text').fill('or tacos');
      await page.locator('#send').click();
      expect(await page.locator('.bubble.mine').allTextContents()).toEqual([
        'pizza tonight?',
        'or tacos',
      ]);
      await page.locator('.typing').waitFor({ state: 'visible' });
      await page.locator('.bubble.theirs').nth(1).waitFor();
      await page.locator('.typing').waitFor({ state: 'detached' });
      expect(batches).toEqual([['pizza tonight?', 'or tacos']]);
      expect(await theirBubbles(page)).toEqual(['yes!! pizza 🍕', 'the usual place?']);

      // A second batch, answered from the same session's memory.
      await page.locator('#text').fill('guess who I ran into');
      await page.keyboard.press('Enter');
      await page.locator('.bubble.theirs').nth(3).waitFor();
      expect(batches).toEqual([['pizza tonight?', 'or tacos'], ['guess who I ran into']]);
      expect(await theirBubbles(page)).toEqual([
        'yes!! pizza 🍕',
        'the usual place?',
        'WHO',
        'tell me everything',
      ]);
      await page.locator('#text').fill('beach this weekend?');
      await page.keyboard.press('Enter');
      await page.locator('.bubble.theirs').nth(5).waitFor();
      await page.locator('#text').fill('it’ll be 30 degrees');
      expect(errors).toEqual([]);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'web-chat.png') });
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('keeps typing in one batch: a keystroke after a message holds the request back', async () => {
    const server = await serve();
    const page = await browser.newPage();
    try {
      const batches = recordBatches(page);
      await page.goto(server.web.url);
      await page.locator('#text').fill('did you water the plants');
      await page.keyboard.press('Enter');
      // Still typing the next one, slowly: each keystroke restarts the wait.
      await page.locator('#text').pressSequentially('the basil looks sad', { delay: 150 });
      await page.keyboard.press('Enter');
      await page.locator('.bubble.theirs').nth(1).waitFor();
      expect(batches).toEqual([['did you water the plants', 'the basil looks sad']]);
      expect(await theirBubbles(page)).toEqual(['oops', 'doing it now 🌱']);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('shows a failed batch as not delivered', async () => {
    const server = await serve();
    const page = await browser.newPage();
    try {
      await page.goto(server.web.url);
      await server.session.close();
      await page.locator('#text').fill('hello?');
      await page.keyboard.press('Enter');
      await page.locator('.note.error').waitFor();
      expect(await page.locator('.note.error').textContent()).toBe(
        'Not delivered: this chat is closed',
      );
      expect(await page.locator('.typing').count()).toBe(0);
    } finally {
      await page.close();
      await server.web.close();
    }
  });
});

describe('renderChatPage', () => {
  it('escapes the name and keeps the token inside its script', () => {
    const html = renderChatPage({
      name: '<b>Sam</b> & "co"',
      backend: 'retrieval',
      token: 'x</script><script>alert(1)</script>',
      nonce: 'n0nce',
    });
    expect(html).toContain('&lt;b&gt;Sam&lt;/b&gt; &amp; &quot;co&quot;');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html.match(/<script nonce="n0nce">/g)).toHaveLength(1);
  });

  it('makes initials for the avatar', () => {
    expect(initials('Sam Rivera')).toBe('SR');
    expect(initials('  cher ')).toBe('C');
    expect(initials('Ana María de la Cruz')).toBe('AC');
    expect(initials('')).toBe('?');
  });
});
