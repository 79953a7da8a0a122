import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'TypedStreamError',
      'appleTimeToIso',
      'createContactBook',
      'createIMessageParser',
      'createIMessageTxtParser',
      'decodeAttributedBody',
      'imessage',
      'imessageTxt',
      'loadContacts',
      'parseContactsCsv',
      'parseVCard',
    ]);
  });

  it('does not load the native SQLite module on import', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const id = require.resolve('better-sqlite3');
    delete require.cache[id];
    await import('./index.js');
    expect(require.cache[id]).toBeUndefined();
  });
});
