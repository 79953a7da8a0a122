import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeAttributedBody, encodeInteger } from './__fixtures__/attributed-body-writer.js';
import { decodeAttributedBody } from './attributed-body.js';
import { TypedStreamError } from './typedstream.js';

const corpus = fileURLToPath(
  new URL('../../../../shared/corpus/imessage/attributedBody/', import.meta.url),
);
const blob = (name: string) => readFileSync(join(corpus, name));

describe.skipIf(!existsSync(corpus))('real attributedBody blobs', () => {
  it('decodes plain text', () => {
    expect(decodeAttributedBody(blob('AttributedBodyTextOnly'))).toEqual({
      text: 'Noter test',
      runs: [{ start: 0, length: 10, attributes: { __kIMMessagePartAttributeName: 0 } }],
      recovered: false,
    });
    expect(decodeAttributedBody(blob('AttributedBodyTextOnly2')).text).toBe('Test 3');
    expect(decodeAttributedBody(blob('AttributedBodyTextOnly2')).runs[0]!.attributes).toEqual({
      __kIMBaseWritingDirectionAttributeName: -1,
      __kIMMessagePartAttributeName: 0,
    });
  });

  it('reports the blank blob as carrying no text', () => {
    expect(decodeAttributedBody(blob('Blank'))).toEqual({ text: '', runs: [], recovered: false });
  });

  it('decodes astral-plane letters, with run lengths in UTF-16 units', () => {
    const body = decodeAttributedBody(blob('WeirdText'));
    expect(body.text).toBe('𝖍𝖊𝖑𝖑𝖔 𝖜𝖔𝖗𝖑𝖉');
    expect(body.runs).toEqual([
      { start: 0, length: body.text.length, attributes: { __kIMMessagePartAttributeName: 0 } },
    ]);
  });

  it('decodes a link with the app data (an NSData plist) after the text', () => {
    const body = decodeAttributedBody(blob('URL'));
    expect(body.text).toBe('https://github.com/ReagentX/Logria');
    const attributes = body.runs[0]!.attributes;
    expect(attributes.__kIMLinkAttributeName).toBe('https://github.com/ReagentX/Logria');
    const data = attributes.__kIMDataDetectedAttributeName as Uint8Array;
    expect(Buffer.from(data.subarray(0, 8)).toString('latin1')).toBe('bplist00');
    expect(data.length).toBe(582);
  });

  it('decodes a multi-part message with its attachment runs', () => {
    const body = decodeAttributedBody(blob('MultiPart'));
    expect(body.text).toBe('\uFFFCtest 1\uFFFCtest 2 \uFFFCtest 3');
    expect(body.runs.map((run) => [run.start, run.length])).toEqual([
      [0, 1],
      [1, 6],
      [7, 1],
      [8, 7],
      [15, 1],
      [16, 6],
    ]);
    expect(body.runs[2]!.attributes).toEqual({
      __kIMFileTransferGUIDAttributeName: 'at_2_F0668F79-20C2-49C9-A87F-1B007ABB0CED',
      __kIMMessagePartAttributeName: 2,
    });
  });

  it('recovers text whose declared length does not fit the archive', () => {
    // The blob declares 157 bytes (81 9D 00) for a 17-byte text followed by its runs.
    const body = decodeAttributedBody(blob('ExtraData'));
    expect(body).toMatchObject({ text: 'This is parsing  ', recovered: true });
    expect(body.runs).toHaveLength(1);
  });
});

describe('length encodings', () => {
  it.each([
    ['empty', ''],
    ['one byte, 127', 'a'.repeat(127)],
    ['int16 from 128', 'b'.repeat(128)],
    ['int16, 400 bytes', 'é'.repeat(200)],
    ['int16 up to 32767', 'c'.repeat(32767)],
    ['int32 from 32768', 'd'.repeat(32768)],
    ['int32, multi-byte at the end', `${'x'.repeat(70_000)}日本語 ☕️`],
  ])('%s', (_, text) => {
    expect(decodeAttributedBody(encodeAttributedBody(text)).text).toBe(text);
  });

  it('writes 400 bytes as 81 90 01, as Messages does', () => {
    expect([...encodeInteger(400)]).toEqual([0x81, 0x90, 0x01]);
  });
});

describe('bad data', () => {
  it('rejects bytes that are not a typedstream', () => {
    expect(() => decodeAttributedBody(Buffer.from('bplist00 not it'))).toThrow(TypedStreamError);
  });

  it('rejects a truncated archive', () => {
    const bytes = encodeAttributedBody('hello there');
    expect(() => decodeAttributedBody(bytes.subarray(0, bytes.length - 20))).toThrow(
      TypedStreamError,
    );
  });
});
