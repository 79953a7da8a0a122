import { describe, expect, it } from 'vitest';
import { exportShape, mayBeExport } from './detect.js';

const head = (text: string) => Buffer.from(text);

describe('exportShape', () => {
  it('recognises a single chat by its type and messages', () => {
    expect(
      exportShape(
        head('\uFEFF{\n "name": "Bob",\n "type": "personal_chat",\n "id": 7,\n "messages": [\n  {'),
      ),
    ).toBe('chat');
    expect(exportShape(head('{"name":"x","type":"public_channel","id":1,"messages":['))).toBe(
      'chat',
    );
  });

  it('recognises the whole-account export', () => {
    expect(
      exportShape(
        head('{\n "about": "Here is the data",\n "personal_information": {\n  "user_id": 1'),
      ),
    ).toBe('account');
    expect(exportShape(head('{"chats": {"about": "x", "list": [{"name"'))).toBe('account');
  });

  it('leaves other JSON alone', () => {
    expect(
      exportShape(
        head('{"guild": {"id": "0"}, "channel": {"type": "DirectTextChat"}, "messages": ['),
      ),
    ).toBeUndefined();
    expect(exportShape(head('[{"type": "personal_chat", "messages": []}]'))).toBeUndefined();
    expect(exportShape(head('{"type": "message", "messages": []}'))).toBeUndefined();
    expect(exportShape(head('hello'))).toBeUndefined();
  });

  it('skips the media that sits beside an export', () => {
    expect(mayBeExport('photo_1@01-03-2024.jpg')).toBe(false);
    expect(mayBeExport('result.json')).toBe(true);
    expect(mayBeExport('export')).toBe(true);
  });
});
