import { describe, expect, it } from 'vitest';
import { looksLikeExport, mayBeExport } from './detect.js';

const head = (text: string) => Buffer.from(text);

describe('looksLikeExport', () => {
  it('recognises a DiscordChatExporter export by its first keys', () => {
    expect(
      looksLikeExport(
        head(
          '\uFEFF{\n  "guild": {\n    "id": "0",\n    "name": "Direct Messages"\n  },\n  "channel": {\n    "id": "1",\n    "type": "DirectTextChat"\n  },\n  "dateRange": {',
        ),
      ),
    ).toBe(true);
    expect(looksLikeExport(head('{"guild":{"id":"1"},"channel":{"id":"2"},"messages":['))).toBe(
      true,
    );
  });

  it('recognises an export whose guild and channel come after the messages', () => {
    expect(looksLikeExport(head('{"messages": [], "guild": {}, "channel": {}}'))).toBe(true);
    expect(
      looksLikeExport(
        head(
          '{"messages": [{"id": "1", "timestamp": "2020-01-01T00:00:00+00:00", "timestampEdited": null, "author": {"id": "2"',
        ),
      ),
    ).toBe(true);
  });

  it('leaves other JSON alone', () => {
    expect(looksLikeExport(head('{"name": "Bob", "type": "personal_chat", "messages": ['))).toBe(
      false,
    );
    expect(looksLikeExport(head('{"messages": [{"id": 1, "author": "x"}]}'))).toBe(false);
    expect(looksLikeExport(head('{"guild": {"id": "1"}}'))).toBe(false);
    expect(looksLikeExport(head('[{"guild": {}}]'))).toBe(false);
  });

  it('skips the media and HTML exports that sit beside one', () => {
    expect(mayBeExport('unknown-1A2B3.png')).toBe(false);
    expect(mayBeExport('Direct Messages - Private - Alex [123].html')).toBe(false);
    expect(mayBeExport('Direct Messages - Private - Alex [123].json')).toBe(true);
  });
});
