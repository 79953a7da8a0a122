import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { conversationJsonSchema } from './json-schema.js';

describe('conversation JSON Schema', () => {
  it('is the checked-in schema/conversation.schema.json (run "npm run schema" when this fails)', async () => {
    const checkedIn = JSON.parse(
      await readFile(new URL('../schema/conversation.schema.json', import.meta.url), 'utf8'),
    );
    expect(checkedIn).toEqual(conversationJsonSchema());
  });

  it('describes the required fields and the closed enums', () => {
    const schema = conversationJsonSchema() as {
      required: string[];
      properties: {
        messages: { items: { properties: { type: { enum: string[] } }; required: string[] } };
      };
    };
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'schema',
        'id',
        'platform',
        'kind',
        'title',
        'participants',
        'messages',
        'source',
      ]),
    );
    expect(schema.properties.messages.items.properties.type.enum).toContain('reaction');
    expect(schema.properties.messages.items.required).toEqual(
      expect.arrayContaining(['id', 'senderId', 'time', 'type', 'text']),
    );
  });
});
