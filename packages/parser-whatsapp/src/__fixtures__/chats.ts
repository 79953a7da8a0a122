import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZip } from '@alterego/core/test';

/**
 * Small chats in every shape a WhatsApp export takes, written the way phones write them
 * (marks, narrow no-break spaces, line ends and all), for the tests and the conformance suite.
 */

const LRM = '\u200E';
const NNBSP = '\u202F';
const NBSP = '\u00A0';

/** iOS, English (US), 2024: brackets, seconds, 12-hour, system lines attributed to the group. */
export const IOS_GROUP_2024 = [
  `[3/9/24, 11:58:01${NNBSP}PM] Weekend Crew: ${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
  `[3/9/24, 11:58:01${NNBSP}PM] Priya Nair: ${LRM}Priya Nair created group “Weekend Crew”`,
  `[3/9/24, 11:58:02${NNBSP}PM] Weekend Crew: ${LRM}Priya Nair added you`,
  `[3/9/24, 11:59:30${NNBSP}PM] Priya Nair: who's in for saturday?`,
  `[3/10/24, 12:01:12${NNBSP}AM] Sam Rivera: me!!`,
  `[3/10/24, 12:01:40${NNBSP}AM] ~${NNBSP}Jordan: ${LRM}image omitted`,
  `[3/10/24, 12:02:05${NNBSP}AM] ~${NNBSP}Jordan: ok so the plan:`,
  '1. meet at 9',
  '2. bring water',
  '',
  '[3/10/24, 12:00:00 AM] this line was pasted from another chat',
  `[3/10/24, 12:03:00${NNBSP}AM] Sam Rivera: ${LRM}<attached: 00000008-PHOTO-2024-03-10-00-03-00.jpg>`,
  `[3/10/24, 12:03:30${NNBSP}AM] Sam Rivera: see you there ${LRM}<This message was edited>`,
  `[3/10/24, 12:04:00${NNBSP}AM] Priya Nair: ${LRM}This message was deleted.`,
  `[3/10/24, 12:04:10${NNBSP}AM] Sam Rivera: ${LRM}You deleted this message.`,
  `[3/10/24, 12:05:00${NNBSP}AM] +1 (555) 010-7788: ${LRM}sticker omitted`,
  `[3/10/24, 12:05:30${NNBSP}AM] +1 (555) 010-7788: Trail map ${LRM}• 2 pages ${LRM}<attached: 00000014-Trail map.pdf>`,
  `[3/10/24, 12:06:00${NNBSP}AM] Priya Nair: ${LRM}Location: https://maps.google.com/?q=46.0207,7.7491`,
  `[3/10/24, 12:06:30${NNBSP}AM] Weekend Crew: ${LRM}Priya Nair changed the group name to “Weekend Crew 🏔”`,
  `[3/10/24, 12:07:00${NNBSP}AM] Sam Rivera: ${LRM}Contact card omitted`,
  `[3/10/24, 12:07:30${NNBSP}AM] Priya Nair: ${LRM}Missed voice call`,
  `[3/10/24, 12:08:00${NNBSP}AM] Sam Rivera: ${LRM}POLL:`,
  'Which trail?',
  `${LRM}OPTION: Ridge (2 votes)`,
  `${LRM}OPTION: Lake (1 vote)`,
  `[3/10/24, 12:09:00${NNBSP}AM] Priya Nair: ${LRM}GIF omitted`,
  `[3/10/24, 12:10:00${NNBSP}AM] Priya Nair: I added the photos to the album`,
].join('\r\n');

/** Android, English (US): no brackets, 12-hour without seconds, a direct chat without media. */
export const ANDROID_DIRECT_US = [
  `1/4/23, 7:02${NNBSP}PM - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.`,
  `1/4/23, 7:02${NNBSP}PM - Alex Chen: hey! are we still on for friday`,
  `1/4/23, 7:05${NNBSP}PM - Sam Rivera: yes!!`,
  'wait which place again',
  `1/4/23, 7:06${NNBSP}PM - Alex Chen: <Media omitted>`,
  `1/4/23, 7:06${NNBSP}PM - Alex Chen: that one`,
  // Out of order in the file: it must come before the two lines above.
  `1/4/23, 7:04${NNBSP}PM - Alex Chen: (sent from the train, sorry)`,
  `1/13/23, 10:15${NNBSP}AM - Sam Rivera: IMG-20230113-WA0003.jpg (file attached)`,
  'the view from the office',
  `1/13/23, 10:16${NNBSP}AM - Sam Rivera: menu.pdf (file attached)`,
  'menu',
  `1/13/23, 10:17${NNBSP}AM - Alex Chen: PTT-20230113-WA0005.opus (file attached)`,
  `1/13/23, 10:18${NNBSP}AM - Alex Chen: location: https://maps.google.com/?q=40.7411,-73.9897`,
  `1/13/23, 10:19${NNBSP}AM - Sam Rivera: This message was deleted`,
  `1/13/23, 12:00${NNBSP}PM - Sam Rivera: lunch at 12:30 PM - ok?`,
  `2/28/23, 11:59${NNBSP}PM - Alex Chen: last one of february`,
  `3/12/23, 1:30${NNBSP}AM - Sam Rivera: before the clocks change`,
  `3/12/23, 3:30${NNBSP}AM - Sam Rivera: after the clocks change`,
].join('\n');

/** Android, German: dots, 24-hour, two-digit years, authorless group events. */
export const ANDROID_GROUP_DE = [
  '03.08.21, 12:30 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören.',
  '03.08.21, 12:30 - Lena hat die Gruppe „WG Küche“ erstellt',
  '03.08.21, 12:31 - Lena hat dich hinzugefügt',
  '03.08.21, 12:32 - Lena: Wer hat die Pfanne benutzt?',
  '03.08.21, 12:40 - Tom: ich war’s 🙈',
  '04.08.21, 09:00 - Tom: <Medien ausgeschlossen>',
  '15.08.21, 18:45 - Sam: Diese Nachricht wurde gelöscht',
  '15.08.21, 18:46 - Sam: neuer Putzplan kommt',
  '15.08.21, 18:47 - Lena: super <Diese Nachricht wurde bearbeitet.>',
  '01.09.21, 08:00 - Tom hat die Gruppe verlassen',
].join('\n');

/** Spanish (Latin America): four-digit years, "p. m." with a no-break space, a BOM. */
export const ANDROID_DIRECT_ES =
  '\uFEFF' +
  [
    `20/6/2017 8:28 p.${NBSP}m. - Michelle: hola!`,
    `20/6/2017 8:29 p.${NBSP}m. - Sam Rivera: qué tal?`,
    `21/6/2017 9:02 a.${NBSP}m. - Michelle: <Multimedia omitido>`,
    `21/6/2017 9:03 a.${NBSP}m. - Michelle: Se eliminó este mensaje.`,
    `21/6/2017 9:04 a.${NBSP}m. - Sam Rivera: genial 😄`,
  ].join('\n');

/** Finnish iOS: dots in the time, and a word between date and time; lone carriage returns. */
export const FINNISH = [
  '13.6.2018 klo 21.25.15 - Aino: moi',
  '14.6.2018 klo 8.05.00 - Sam: huomenta',
  'toinen rivi',
].join('\r');

/** Year first with the meridiem before the time (Chinese, 12-hour). */
export const YEAR_FIRST_ZH = [
  '[2024/10/31 下午3:50:46] 小明: 你好',
  '[2024/10/31 下午3:51:02] Sam: hi!',
  '[2024/11/1 上午9:00:00] 小明: 早上好',
].join('\n');

/** Dashes, month first, brackets with seconds and a 24-hour clock; names with colons and emoji. */
export const DASHES_MONTH_FIRST = [
  '[01-29-2018, 23:33:00] Alice: Hello?',
  '[01-30-2018, 08:00:00] Re:Zero Fan 🎌: morning',
  '[02-02-2018, 10:00:00] Alice: time: 10:00, place: cafe',
].join('\n');

/** Writes `files` into a new temporary folder and returns the folder. */
export function writeChats(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'alterego-whatsapp-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** An iOS export zip: `_chat.txt` and the media it mentions. */
export function iosZip(chat: string): Buffer {
  return createZip({
    '_chat.txt': chat,
    '00000008-PHOTO-2024-03-10-00-03-00.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    '00000014-Trail map.pdf': '%PDF-1.4 fake',
  });
}
