import { stripDirectionMarks } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import {
  attachmentTypeOf,
  CALLS,
  DELETED,
  EDITED,
  FILE_ATTACHED,
  foldLetter,
  isNotice,
  isSystemSentence,
  KIND_OMITTED,
  mayBeCall,
  mayBeNotice,
  MEDIA_OMITTED,
  NOTICES,
  readBody,
  readsAsPlainText,
  startsLikeNotice,
} from './markers.js';
import { isCommonText } from './plain-text.js';

const LRM = '\u200E';

describe('marker tables', () => {
  it('cover at least ten languages for media placeholders and deletions', () => {
    expect(Object.keys(MEDIA_OMITTED).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(KIND_OMITTED).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(DELETED).length).toBeGreaterThanOrEqual(10);
    expect(EDITED.length).toBeGreaterThanOrEqual(10);
    expect(FILE_ATTACHED.length).toBeGreaterThanOrEqual(10);
  });

  const mediaOmitted = Object.entries(MEDIA_OMITTED).flatMap(([language, values]) =>
    values.map((value) => [language, value] as const),
  );
  it.each(mediaOmitted)('%s: %s is media without text', (_, value) => {
    expect(readBody(value)).toEqual({ type: 'media', text: '' });
    expect(readBody(value.toUpperCase())).toEqual({ type: 'media', text: '' });
  });

  const kindOmitted = Object.entries(KIND_OMITTED).flatMap(([language, kinds]) =>
    Object.entries(kinds).flatMap(([kind, values]) =>
      (values ?? []).map((value) => [language, kind, value] as const),
    ),
  );
  const typeOfKind: Record<string, [string, string]> = {
    image: ['media', 'image'],
    video: ['media', 'video'],
    audio: ['media', 'audio'],
    gif: ['media', 'gif'],
    document: ['media', 'file'],
    sticker: ['sticker', 'sticker'],
    contact: ['contact', 'contact'],
  };
  it.each(kindOmitted)('%s: %s placeholder %s', (_, kind, value) => {
    const [type, attachment] = typeOfKind[kind]!;
    expect(readBody(`${LRM}${value}`)).toEqual({
      type,
      text: '',
      attachments: [{ type: attachment }],
    });
  });

  const deleted = Object.entries(DELETED).flatMap(([language, values]) =>
    values.map((value) => [language, value] as const),
  );
  it.each(deleted)('%s: %s is a deleted message', (_, value) => {
    expect(readBody(value)).toEqual({ type: 'deleted', text: '' });
    expect(readBody(`${LRM}${value}.`)).toEqual({ type: 'deleted', text: '' });
  });

  it.each(EDITED.map((value) => [value]))('removes the edit note "%s"', (value) => {
    expect(readBody(`on my way ${LRM}<${value}>`)).toEqual({
      type: 'text',
      text: 'on my way',
      edited: true,
    });
    expect(readBody(`multi\nline <${value}.>`)).toEqual({
      type: 'text',
      text: 'multi\nline',
      edited: true,
    });
  });

  it.each(FILE_ATTACHED.map((value) => [value]))(
    'reads an Android attachment noted "(%s)"',
    (note) => {
      expect(readBody(`holiday.jpg (${note})`)).toEqual({
        type: 'media',
        text: '',
        attachments: [{ type: 'image', name: 'holiday.jpg', uri: 'holiday.jpg' }],
      });
    },
  );
});

describe('readBody', () => {
  it.each([
    ['IMG-20190101-WA0000.jpg (file attached)\nlook at this', 'media', 'look at this', 'image'],
    ['VID-20190101-WA0001.mp4 (file attached)', 'media', '', 'video'],
    ['PTT-20190101-WA0002.opus (file attached)', 'media', '', 'audio'],
    ['STK-20190101-WA0003.webp (file attached)', 'sticker', '', 'sticker'],
    ['John Doe.vcf (file attached)', 'contact', '', 'contact'],
    ['report.pdf (file attached)\nreport', 'media', '', 'file'],
    [`${LRM}<attached: 00000001-PHOTO-2019-01-01-12-00-00.jpg>`, 'media', '', 'image'],
    [`${LRM}<attached: 00000002-VIDEO-2019-01-01-12-00-00.mp4>`, 'media', '', 'video'],
    [`${LRM}<attached: 00000003-AUDIO-2019-01-01-12-00-00.opus>`, 'media', '', 'audio'],
    [`${LRM}<attached: 00000004-GIF-2019-01-01-12-00-00.mp4>`, 'media', '', 'gif'],
    [`${LRM}<attached: 00000005-STICKER-2019-01-01-12-00-00.webp>`, 'sticker', '', 'sticker'],
    [`${LRM}<attached: 00000006-John Doe.vcf>`, 'contact', '', 'contact'],
    [`${LRM}<anexado: 00000007-PHOTO-2019-01-01-12-00-00.jpg>`, 'media', '', 'image'],
    [`${LRM}<Anhang: 00000008-PHOTO-2019-01-01-12-00-00.jpg>`, 'media', '', 'image'],
    ['2015-08-04-PHOTO-00004762.jpg <\u200eattached>', 'media', '', 'image'],
    [
      `test_document ${LRM}• 2 pages ${LRM}<attached: 00000009-test_document.pdf>`,
      'media',
      '',
      'file',
    ],
  ])('reads %j', (body, type, text, attachment) => {
    const reading = readBody(body);
    expect(reading).toMatchObject({ type, text });
    expect(reading.attachments?.[0]?.type).toBe(attachment);
    expect(reading.attachments?.[0]?.name).toBeTruthy();
  });

  it('reads iOS documents without media, keeping their title', () => {
    expect(readBody(`test_document ${LRM}• 1 page ${LRM}document omitted`)).toEqual({
      type: 'media',
      text: '',
      attachments: [{ type: 'file', name: 'test_document' }],
    });
  });

  it.each([
    ['location: https://maps.google.com/?q=60.167850,24.952965', undefined],
    ['Helsinki\nHelsinki\nlocation: https://maps.google.com/?q=60.167850,24.952965', 'Helsinki'],
    [`${LRM}Location: https://maps.google.com/?q=60.167850,24.952965`, undefined],
    [
      'Kiasma (Mannerheiminaukio 2): https://maps.google.com/?q=60.17,24.93',
      'Kiasma (Mannerheiminaukio 2)',
    ],
    ['live location shared', undefined],
  ])('reads the location %j', (body, name) => {
    const reading = readBody(body);
    expect(reading.type).toBe('location');
    expect(reading.attachments?.[0]?.type).toBe('location');
    expect(reading.attachments?.[0]?.name).toBe(name);
  });

  it.each([
    'Missed voice call',
    `${LRM}Missed video call`,
    'Missed group voice call',
    'Voice call, 12 min',
    'Llamada perdida',
    'Verpasster Sprachanruf',
    'Appel vocal manqué',
    'Chiamata vocale persa',
    'Chamada de voz perdida',
    'Gemiste spraakoproep',
    'Пропущенный звонок',
    'Cevapsız sesli arama',
    'Panggilan suara tak terjawab',
  ])('reads the call %j', (body) => {
    expect(readBody(body)).toEqual({ type: 'call', text: '' });
  });

  it('reads polls with their question as text', () => {
    expect(
      readBody('POLL:\nPizza or tacos?\nOPTION: Pizza (3 votes)\nOPTION: Tacos (1 vote)'),
    ).toEqual({
      type: 'poll',
      text: 'Pizza or tacos?',
    });
  });

  it('types an empty body (disappearing messages, view once) as deleted, never as text', () => {
    expect(readBody('')).toEqual({ type: 'deleted', text: '' });
    expect(readBody(LRM)).toEqual({ type: 'deleted', text: '' });
    expect(readBody('null')).toEqual({ type: 'media', text: '' });
  });

  it.each([
    'that image omitted joke was funny lol',
    'see https://maps.google.com/?q=1,2 for the spot, 10 min walk',
    'I sent the report.pdf (final version)',
    'I deleted this message by accident',
    'POLL: who is coming?',
    '<3',
    'missed the video call, sorry',
    'time: 10:00, place: cafe',
  ])('keeps %j as text', (body) => {
    expect(readBody(body)).toEqual({ type: 'text', text: body });
  });
});

/** Notices as exports write them, in several languages and wordings. */
const NOTICE_SAMPLES = [
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
  'Messages to this group are now secured with end-to-end encryption. Tap for more info.',
  'Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos.',
  'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.',
  'Les messages et les appels sont chiffrés de bout en bout.',
  'I messaggi e le chiamate sono crittografati end-to-end.',
  'As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta.',
  'Berichten en gesprekken worden end-to-end versleuteld.',
  'Сообщения и звонки защищены сквозным шифрованием.',
  'Mesajlar ve aramalar uçtan uca şifrelidir.',
  'Pesan dan panggilan terenkripsi secara end-to-end.',
  'Your security code with Alex Chen changed. Tap to learn more.',
  "Alex Chen's security code changed. Tap to learn more.",
  "Alex turned on disappearing messages. New messages will disappear from this chat 7 days after they're sent.",
  'You turned off disappearing messages.',
  'Waiting for this message. This may take a while.',
  'Messages and calls are end-to-end encrypted. No one outside of this chat can read them.',
  'Messages to this group are now secured with end-to-end encryption.',
  'Messages you send to this chat and calls are now secured with end-to-end encryption.',
  'Messages and calls in this chat are now secured with end-to-end encryption',
  'Los mensajes y las llamadas están cifrados de extremo a extremo.',
  'Los mensajes en este chat ahora están protegidos con cifrado de extremo a extremo.',
  'Nachrichten in diesem Chat sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt.',
  "Alex's security code changed. Tap to learn more.",
  'Your security code with Alex changed. Tap to learn more.',
  'Alex turned on disappearing messages.',
  'You updated the timer for disappearing messages.',
  'Disappearing messages were turned off.',
  'New messages will disappear from this chat after 7 days.',
  'Alex changed the message timer.',
  'This chat is with a business account.',
  'This business is now using a secure service from Meta.',
  'Crew Shop uses a secure service from Meta to manage this chat.',
  'You blocked this contact. Tap to unblock.',
  'You unblocked this contact.',
  'Tap to learn more.',
];

describe('system text', () => {
  it.each(NOTICE_SAMPLES)('%j is a notice', (text) => {
    expect(isNotice(text)).toBe(true);
    expect(isNotice(`${LRM}${text}`)).toBe(true);
  });

  it.each([
    'Alice created group "Some cool group chat"',
    'Priya Nair created group “Weekend Crew”',
    'Alice added you',
    'You added Bob',
    'Bob left',
    "Eve joined using this group's invite link",
    'Alice changed the subject from "a" to "b: c"',
    'Alice changed the group name to “Crew”',
    "Alice changed this group's icon",
    "You're now an admin",
    'Alice changed their phone number to a new number. Tap to message or add the new number.',
    'Lena hat die Gruppe „WG“ erstellt',
    'Tom hat die Gruppe verlassen',
    'Ana creó el grupo “Familia”',
  ])('%j is a group event', (text) => {
    expect(isSystemSentence(text)).toBe(true);
  });

  it.each(['see you tomorrow', 'I love end-to-end tests', 'the dog left\nthen came back'])(
    '%j is not',
    (text) => {
      expect(isSystemSentence(text)).toBe(false);
    },
  );
});

describe('attachmentTypeOf', () => {
  it.each([
    ['00000001-PHOTO-2019-01-01-12-00-00.jpg', 'image'],
    ['IMG-20190101-WA0000.jpg', 'image'],
    ['VID-20190101-WA0000.mp4', 'video'],
    ['PTT-20190101-WA0000.opus', 'audio'],
    ['AUD-20190101-WA0000.m4a', 'audio'],
    ['STK-20190101-WA0000.webp', 'sticker'],
    ['GIF-20190101-WA0000.mp4', 'gif'],
    ['Jane.vcf', 'contact'],
    ['contract.pdf', 'file'],
  ])('%s is %s', (name, type) => {
    expect(attachmentTypeOf(name)).toBe(type);
  });
});

describe('quick checks', () => {
  it("fold letters the way the patterns' i flag compares them", () => {
    // Every letter the call and notice starts are made of.
    const letters = [...'misgrvolepachnbydtwпрсо '];
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      const char = String.fromCharCode(code);
      for (const letter of letters) {
        const escaped = letter === ' ' ? ' ' : letter;
        if (
          new RegExp(`^${escaped}$`, 'i').test(char) &&
          foldLetter(code) !== foldLetter(letter.charCodeAt(0))
        ) {
          wrong.push(`${code.toString(16)} ~ ${letter}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  const calls = [
    'Missed voice call',
    'missed video call',
    'Silenced voice call',
    'Missed group video call',
    'Voice call',
    'Video call, 2 min',
    'VOICE CALL, NO ANSWER',
    'Llamada perdida',
    'llamada de voz perdida',
    'Videollamada perdida',
    'videollamada grupal perdida',
    'Verpasster Sprachanruf',
    'verpassten Videoanruf',
    'Verpasste Gruppenanruf',
    'Appel vocal manqué',
    'appel vidéo de groupe manqué',
    'Chiamata vocale persa',
    'Videochiamata persa',
    'Chamada de voz perdida',
    'chamada de vídeo perdida',
    'Gemiste spraakoproep',
    'gemiste videooproep',
    'Пропущенный звонок',
    'пропущенный видеозвонок',
    'Cevapsız sesli arama',
    'cevapsiz görüntülü arama',
    'Panggilan suara tak terjawab',
    'panggilan video tak terjawab',
  ];
  it.each(calls)('%s passes the call check, and reads as a call', (line) => {
    expect(CALLS.some((pattern) => pattern.test(line))).toBe(true);
    expect(mayBeCall(line)).toBe(true);
    expect(readBody(line)).toEqual({ type: 'call', text: '' });
    expect(readsAsPlainText(line)).toBe(false);
  });

  const variants = NOTICE_SAMPLES.flatMap((notice) => [
    notice,
    notice.toUpperCase(),
    notice.toLowerCase(),
    `  ${notice}`,
    `\u200E${notice}`,
    `${notice.slice(0, 1)}\u200E${notice.slice(1)}`,
    `${notice.slice(0, 9)}\u2068${notice.slice(9)}`,
  ]);
  it('never turn away text that a notice pattern matches', () => {
    let matched = 0;
    for (const text of variants) {
      const clean = stripDirectionMarks(text).trim();
      if (!NOTICES.some((pattern) => pattern.test(clean))) continue;
      matched += 1;
      expect(mayBeNotice(text), text).toBe(true);
      if (isCommonText(text)) expect(startsLikeNotice(text), text).toBe(true);
    }
    expect(matched).toBeGreaterThan(NOTICE_SAMPLES.length * 5);
  });

  const bodies = [
    ...Object.values(MEDIA_OMITTED).flat(),
    ...Object.values(KIND_OMITTED).flatMap((kinds) => Object.values(kinds).flat()),
    ...Object.values(DELETED).flat(),
    ...EDITED.map((note) => `see you there <${note}>`),
    ...FILE_ATTACHED.map((note) => `IMG-20190101-WA0000.jpg (${note})`),
    ...calls,
    ...NOTICE_SAMPLES,
    'null',
    'NULL.',
    'Trail map • 2 pages document omitted',
    'location: https://maps.google.com/?q=1,2',
    'POLL:\nWhich trail?\nOPTION: Ridge (2 votes)',
    'the plan:\n1. meet at 9',
    'menu.pdf (file attached)\nmenu',
    'see (this)',
    'see this)',
    'ok:',
    'hey! are we still on for friday',
    'what time sure haha omg love it',
    'đúng rồi yes!! привет thank you so much 🙏 ok café?',
    'ありがとう',
    'Image omitted',
    'the image omitted',
    'I omitted it',
    'Mensagem apagada',
    'mensagem apagada!',
    'video call me later',
    'vi',
    'x',
    '?',
    '🙏',
    'line one\nline two',
    'line one\n',
  ];
  const samples = bodies.flatMap((body) => [
    body,
    body.toUpperCase(),
    body.toLowerCase(),
    `${body}.`,
    `${body}。`,
    `ok ${body}`,
  ]);
  it('read bodies as plain text only when readBody reads them so', () => {
    let plain = 0;
    for (const body of samples) {
      if (!isCommonText(body)) continue;
      const quick = readsAsPlainText(body);
      if (!body.includes('\n')) expect(readsAsPlainText(body, false), body).toBe(quick);
      if (!quick) continue;
      plain += 1;
      expect(readBody(body), body).toEqual({ type: 'text', text: body });
    }
    expect(plain).toBeGreaterThan(50);
  });
});
