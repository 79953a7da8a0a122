import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'ChatError',
      'REPLY_INDEX_FILE',
      'createChat',
      'createFewShotBackend',
      'createFinetunedBackend',
      'createReplyIndex',
      'createRetrievalBackend',
      'loadPersona',
      'openChatMemory',
      'openReplyIndex',
      'personaFromManifest',
      'splitBubbles',
      'stripControls',
    ]);
  });
});
