import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

it('loads better-sqlite3 only when a database is opened, not on import', async () => {
  const require = createRequire(import.meta.url);
  const loaded = () => Object.keys(require.cache).some((key) => key.includes('better-sqlite3'));
  const { createReplyIndex } = await import('./index.js');
  expect(loaded()).toBe(false);
  createReplyIndex([]).close();
  expect(loaded()).toBe(true);
});
