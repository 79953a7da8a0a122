import type { Attachment, AttachmentType, MessageType } from '@alterego/core';
import { stripDirectionMarks } from '@alterego/core';
import { ANYWHERE_NOTICE_PHRASES, isTrimSpace } from './plain-text.js';

/**
 * What WhatsApp writes in place of things that are not typed words, in the languages of the
 * phones that export them. Every table is data: add a language by adding strings. Strings are
 * compared lower-cased, without direction marks and without a final full stop.
 */

/** Android, without media: one placeholder for every kind of media. */
export const MEDIA_OMITTED: Readonly<Record<string, readonly string[]>> = {
  en: ['<Media omitted>'],
  es: ['<Multimedia omitido>', '<Archivo omitido>'],
  de: ['<Medien ausgeschlossen>', '<Medien weggelassen>'],
  fr: ['<Médias omis>', '<Fichier omis>'],
  it: ['<Media omessi>', '<Media omesso>'],
  pt: ['<Mídia omitida>', '<Ficheiro não revelado>', '<Arquivo de mídia oculto>'],
  nl: ['<Media weggelaten>'],
  ru: ['<Без медиафайлов>', '<Файл пропущен>'],
  tr: ['<Medya dahil edilmedi>', '<Medya atlanmış>'],
  id: ['<Media tidak disertakan>'],
  pl: ['<Pominięto multimedia>', '<Pliki pominięto>'],
  sv: ['<Media utelämnat>', '<Media har utelämnats>'],
  da: ['<Medier udeladt>', '<Mediefil udeladt>'],
  nb: ['<Media utelatt>', '<Uten vedlegg>'],
  fi: ['<Media jätettiin pois>', '<Media jätetty pois>'],
  cs: ['<Média vynechána>', '<Média vynechány>'],
  hu: ['<Média elhagyva>', '<Hiányzó médiafájl>'],
  ro: ['<Conținut media omis>'],
  el: ['<Αρχείο παραλήφθηκε>', '<Εξαίρεση πολυμέσων>'],
  uk: ['<Медіа пропущено>'],
  ar: ['<تم استبعاد الوسائط>'],
  he: ['<המדיה לא נכללה>', '<מדיה הושמטה>'],
  hi: ['<मीडिया के बिना>'],
  ja: ['<メディアなし>', '<メディアは含まれていません>'],
  ko: ['<미디어 파일 제외됨>', '<미디어 파일을 생략한 대화내용>'],
  zh: ['<忽略多媒體檔>', '<省略多媒体文件>'],
  vi: ['<Bỏ qua tệp phương tiện>', '<Bỏ qua Media>'],
  th: ['<ไฟล์สื่อถูกลบ>', '<สื่อถูกลบ>'],
  ms: ['<Media dikecualikan>', '<Media disingkirkan>'],
  ca: ['<Fitxers multimèdia omesos>', '<Mitjans omesos>'],
};

/** iOS, without media: one placeholder per kind, without angle brackets. */
export const KIND_OMITTED: Readonly<
  Record<string, Readonly<Partial<Record<OmittedKind, readonly string[]>>>>
> = {
  en: {
    image: ['image omitted'],
    video: ['video omitted'],
    audio: ['audio omitted'],
    gif: ['GIF omitted'],
    sticker: ['sticker omitted'],
    document: ['document omitted'],
    contact: ['Contact card omitted'],
  },
  es: {
    image: ['imagen omitida'],
    video: ['video omitido', 'vídeo omitido'],
    audio: ['audio omitido'],
    gif: ['GIF omitido'],
    sticker: ['sticker omitido'],
    document: ['documento omitido'],
    contact: ['Tarjeta de contacto omitida'],
  },
  de: {
    image: ['Bild weggelassen'],
    video: ['Video weggelassen'],
    audio: ['Audio weggelassen'],
    gif: ['GIF weggelassen'],
    sticker: ['Sticker weggelassen'],
    document: ['Dokument weggelassen'],
    contact: ['Kontaktkarte ausgelassen', 'Kontaktkarte weggelassen'],
  },
  fr: {
    image: ['image absente', 'image omise'],
    video: ['vidéo absente', 'vidéo omise'],
    audio: ['audio omis', 'audio absent'],
    gif: ['GIF retiré', 'GIF omis'],
    sticker: ['sticker omis', 'autocollant omis'],
    document: ['document omis'],
    contact: ['fiche contact omise', 'carte de contact omise'],
  },
  it: {
    image: ['immagine omessa'],
    video: ['video omesso'],
    audio: ['audio omesso'],
    gif: ['GIF omessa', 'GIF omesso'],
    sticker: ['sticker omesso'],
    document: ['documento omesso'],
    contact: ['scheda contatto omessa'],
  },
  pt: {
    image: ['imagem ocultada', 'imagem omitida'],
    video: ['vídeo omitido', 'vídeo ocultado'],
    audio: ['áudio ocultado', 'áudio omitido'],
    gif: ['GIF omitido', 'GIF ocultado'],
    sticker: ['figurinha omitida', 'sticker omitido'],
    document: ['documento omitido', 'documento ocultado'],
    contact: ['cartão de contato omitido'],
  },
  nl: {
    image: ['afbeelding weggelaten'],
    video: ['video weggelaten'],
    audio: ['audio weggelaten'],
    gif: ['GIF weggelaten'],
    sticker: ['sticker weggelaten'],
    document: ['document weggelaten'],
    contact: ['contactkaart weggelaten'],
  },
  ru: {
    image: ['изображение отсутствует', 'изображение пропущено'],
    video: ['видео отсутствует', 'видео пропущено'],
    audio: ['аудиофайл отсутствует', 'аудио пропущено'],
    gif: ['GIF отсутствует', 'GIF пропущен'],
    sticker: ['стикер отсутствует', 'стикер пропущен'],
    document: ['документ отсутствует', 'документ пропущен'],
    contact: ['карточка контакта отсутствует'],
  },
  tr: {
    image: ['görüntü dahil edilmedi', 'resim dahil edilmedi'],
    video: ['video dahil edilmedi'],
    audio: ['ses dahil edilmedi'],
    gif: ['GIF dahil edilmedi'],
    sticker: ['çıkartma dahil edilmedi'],
    document: ['belge dahil edilmedi'],
    contact: ['kişi kartı dahil edilmedi'],
  },
  id: {
    image: ['gambar tidak disertakan'],
    video: ['video tidak disertakan'],
    audio: ['audio tidak disertakan'],
    gif: ['GIF tidak disertakan'],
    sticker: ['stiker tidak disertakan'],
    document: ['dokumen tidak disertakan'],
    contact: ['kartu kontak tidak disertakan'],
  },
};

export type OmittedKind = 'image' | 'video' | 'audio' | 'gif' | 'sticker' | 'document' | 'contact';

/** Android, with media: `IMG-20190101-WA0000.jpg (file attached)`. */
export const FILE_ATTACHED: readonly string[] = [
  'file attached',
  'archivo adjunto',
  'Datei angehängt',
  'fichier joint',
  'file allegato',
  'arquivo anexado',
  'ficheiro anexado',
  'bestand bijgevoegd',
  'файл добавлен',
  'файл прикреплён',
  'dosya ekli',
  'file terlampir',
  'plik załączony',
  'fil bifogad',
];

/** The sender's own and everyone else's deleted messages. */
export const DELETED: Readonly<Record<string, readonly string[]>> = {
  en: ['This message was deleted', 'You deleted this message'],
  es: ['Se eliminó este mensaje', 'Eliminaste este mensaje', 'Este mensaje fue eliminado'],
  de: ['Diese Nachricht wurde gelöscht', 'Du hast diese Nachricht gelöscht'],
  fr: ['Ce message a été supprimé', 'Vous avez supprimé ce message'],
  it: ['Questo messaggio è stato eliminato', 'Hai eliminato questo messaggio'],
  pt: [
    'Mensagem apagada',
    'Esta mensagem foi apagada',
    'Você apagou esta mensagem',
    'Apagou esta mensagem',
  ],
  nl: ['Dit bericht is verwijderd', 'Je hebt dit bericht verwijderd'],
  ru: ['Данное сообщение удалено', 'Вы удалили данное сообщение', 'Это сообщение было удалено'],
  tr: ['Bu mesaj silindi', 'Bu mesajı sildiniz'],
  id: ['Pesan ini telah dihapus', 'Anda menghapus pesan ini'],
  pl: ['Ta wiadomość została usunięta', 'Usunięto tę wiadomość'],
};

/** The note WhatsApp appends to an edited message: `… <This message was edited>`. */
export const EDITED: readonly string[] = [
  'This message was edited',
  'Se editó este mensaje',
  'Diese Nachricht wurde bearbeitet',
  'Ce message a été modifié',
  'Questo messaggio è stato modificato',
  'Mensagem editada',
  'Esta mensagem foi editada',
  'Dit bericht is bewerkt',
  'Сообщение изменено',
  'Bu mesaj düzenlendi',
  'Pesan ini telah diedit',
  'Ta wiadomość została edytowana',
];

/**
 * Calls show up as lines of their own. Every pattern is anchored at both ends. A pattern that
 * can start with two letters not yet in CALL_STARTS needs them added there.
 */
export const CALLS: readonly RegExp[] = [
  /^(?:missed |silenced )?(?:group )?(?:voice|video) call(?:, .*)?$/i,
  /^(?:voice|video) call, (?:no answer|\d.*)$/i,
  /^(?:llamada(?: de voz)?|videollamada) (?:perdida|grupal perdida)$/i,
  /^verpasste[rn]? (?:sprach|video|gruppen)?anruf$/i,
  /^(?:appel (?:vocal|vidéo)(?: de groupe)?) manqué$/i,
  /^(?:chiamata vocale|videochiamata) persa$/i,
  /^chamada de (?:voz|vídeo) perdida$/i,
  /^gemiste (?:spraak|video)oproep$/i,
  /^пропущенный (?:аудио|видео)?звонок$/i,
  /^cevaps[ıi]z (?:sesli|görüntülü) arama$/i,
  /^panggilan (?:suara|video) tak terjawab$/i,
];

/** Shared locations: `location: https://maps.google.com/?q=…`, and `Name (Address): https://…`. */
const MAP_LINK =
  /(https?:\/\/(?:maps\.google\.[a-z.]+\/|www\.google\.[a-z.]+\/maps|goo\.gl\/maps\/|maps\.app\.goo\.gl\/|maps\.apple\.com\/)\S*)$/i;
const LIVE_LOCATION: readonly string[] = [
  'live location shared',
  'ubicación en tiempo real compartida',
  'Live-Standort geteilt',
  'position en direct partagée',
  'posizione in tempo reale condivisa',
  'localização em tempo real compartilhada',
];

/** Polls export as `POLL:` / `OPTION: … (n votes)` lines. */
const POLL_HEAD =
  /^(?:POLL|ENCUESTA|UMFRAGE|SONDAGE|SONDAGGIO|ENQUETE|PEILING|ОПРОС|ANKET|POLLING):\s*$/i;
const POLL_OPTION = /^(?:OPTION|OPCIÓN|OPÇÃO|OPZIONE|OPTIE|ВАРИАНТ|SEÇENEK|OPSI):\s/i;

/**
 * System notices that are system text whoever they are attributed to: encryption notices,
 * security-code changes, disappearing-message settings. iOS exports since 2024 attribute them
 * to the chat or to a person, so they cannot be told apart by a missing author. A new pattern
 * needs its first two letters in NOTICE_STARTS, or, when it can match anywhere, a phrase it
 * always holds in ANYWHERE_NOTICE_PHRASES (plain-text.ts).
 */
export const NOTICES: readonly RegExp[] = [
  /^Messages and calls are end-to-end encrypted\b/i,
  /^Messages (?:you send )?to this (?:chat|group)(?: and calls)? are now secured with end-to-end encryption/i,
  /^Messages and calls in this chat are now secured with end-to-end encryption/i,
  /^Los mensajes y las llamadas están cifrados de extremo a extremo/i,
  /^Los mensajes (?:y las llamadas )?(?:en|de) este (?:chat|grupo) ahora están protegidos con cifrado de extremo a extremo/i,
  /^Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt/i,
  /^Nachrichten (?:an|in) diese[rm]? (?:Chat|Gruppe) (?:und Anrufe )?sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt/i,
  /^Les messages et les appels sont chiffrés de bout en bout/i,
  /^I messaggi e le chiamate sono crittografati end-to-end/i,
  /^As mensagens e (?:as )?(?:chamadas|ligações) (?:são|estão) protegidas com (?:a )?(?:criptografia|encriptação) de ponta a ponta/i,
  /^Berichten en (?:gesprekken|oproepen) worden end-to-end versleuteld/i,
  /^Сообщения и звонки защищены сквозным шифрованием/i,
  /^Mesajlar ve aramalar uçtan uca şifrelidir/i,
  /^Pesan dan panggilan terenkripsi secara end-to-end/i,
  /security code (?:with .+ )?changed\b/i,
  /^Your security code with .+ changed/i,
  /\b(?:turned (?:on|off)|uses a default timer for|changed the timer for|updated the timer for) disappearing messages/i,
  /^Disappearing messages (?:were turned (?:on|off)|are on|are off)/i,
  /^New messages will disappear from this chat/i,
  /^(?:You|.+) (?:changed|updated) the message timer/i,
  /^This chat is with a business account/i,
  /^This business (?:is now|account has now) /i,
  /^(?:This business uses|.+ uses) a secure service from Meta/i,
  /^Waiting for this message\b/i,
  /^You blocked this contact\b/i,
  /^You unblocked this contact\b/i,
  /^Tap to (?:learn more|change|unblock)\b/i,
];

/**
 * Group and membership events. Plain sentences a person could also type ("Mum added salt"),
 * so on an attributed line they only count where the export marks the line as system.
 */
export const EVENTS: readonly RegExp[] = [
  /^(?:You|.+) created (?:group|this group)(?: ["“«].*["”»])?$/i,
  /^(?:You|.+) added .+$/i,
  /^(?:You|.+) removed .+$/i,
  /^(?:You|.+) left$/i,
  /^(?:You|.+) joined using (?:this group's|an) invite link$/i,
  /^(?:You|.+) joined from the community$/i,
  /^(?:You|.+) changed the (?:subject|group name)(?: from .+)? to .+$/i,
  /^(?:You|.+) changed (?:this group's|the group) (?:icon|description|settings.*)$/i,
  /^(?:You|.+) deleted this group's icon$/i,
  /^(?:You|.+) changed (?:their|your) phone number(?: to a new number.*)?$/i,
  /^.+ changed to \+?[\d ()\-\u202A-\u202E]+$/,
  /^(?:You're|You are) now an admin$/i,
  /^(?:You're|You are) no longer an admin$/i,
  /^(?:You|.+) made .+ (?:an admin|a group admin)$/i,
  /^(?:You|.+) pinned a message$/i,
  /^(?:You|.+) (?:reset|revoked) this group's invite link$/i,
  /^(?:You|.+) (?:turned on|turned off) admin approval to join this group$/i,
  /^(?:You|.+) changed the settings so only admins can .+$/i,
  /^(?:You|.+) started a call$/i,
  /^(?:You were|.+ was) added$/i,
  /^(?:You|.+) creó (?:el )?grupo .+$/i,
  /^(?:You|.+) (?:añadió|agregó) a .+$/i,
  /^(?:.+) (?:salió|se unió usando el enlace de invitación de este grupo)$/i,
  /^.+ hat (?:die )?Gruppe .+ erstellt$/i,
  /^.+ hat .+ hinzugefügt$/i,
  /^.+ hat die Gruppe verlassen$/i,
  /^.+ a créé le groupe .+$/i,
  /^.+ a ajouté .+$/i,
  /^.+ est parti(?:e)?$/i,
  /^.+ criou o grupo .+$/i,
  /^.+ adicionou .+$/i,
  /^.+ saiu$/i,
  /^.+ ha creato il gruppo .+$/i,
  /^.+ ha aggiunto .+$/i,
  /^.+ è uscit[oa]$/i,
];

/**
 * Compares placeholder text: lower-cased (Turkish dotless i folded), without direction marks,
 * outer spaces or a final full stop.
 */
export function markerKey(text: string): string {
  let key = stripDirectionMarks(text).trim();
  const last = key.charCodeAt(key.length - 1);
  if (last === 0x2e || last === 0x3002) key = key.slice(0, -1).trimEnd();
  key = key.toLowerCase();
  return key.includes('ı') ? key.replace(/ı/g, 'i') : key;
}

function keySet(values: Iterable<string>): ReadonlySet<string> {
  return new Set([...values].map(markerKey));
}

const MEDIA_OMITTED_KEYS = keySet(Object.values(MEDIA_OMITTED).flat());
const DELETED_KEYS = keySet(Object.values(DELETED).flat());
const EDITED_KEYS = keySet(EDITED);
const FILE_ATTACHED_KEYS = keySet(FILE_ATTACHED);
const LIVE_LOCATION_KEYS = keySet(LIVE_LOCATION);
const KIND_OMITTED_ENTRIES: readonly (readonly [string, OmittedKind])[] = Object.values(
  KIND_OMITTED,
).flatMap((kinds) =>
  Object.entries(kinds).flatMap(([kind, values]) =>
    (values ?? []).map((value) => [markerKey(value), kind as OmittedKind] as const),
  ),
);
/** Every placeholder that is the whole body, by key: one lookup per message. */
const EXACT = new Map<string, () => BodyReading>([
  ...[...MEDIA_OMITTED_KEYS, 'null'].map(
    (key) => [key, () => ({ type: 'media' as const, text: '' })] as const,
  ),
  ...[...DELETED_KEYS].map((key) => [key, () => ({ type: 'deleted' as const, text: '' })] as const),
  ...KIND_OMITTED_ENTRIES.map(
    ([key, kind]) => [key, () => media(kind === 'document' ? 'file' : kind, '')] as const,
  ),
  ...[...LIVE_LOCATION_KEYS].map((key) => [key, () => media('location', '')] as const),
]);
/** All call lines in one pattern. */
const CALL = new RegExp(
  `^(?:${CALLS.map((pattern) => pattern.source.replace(/^\^/, '').replace(/\$$/, '')).join('|')})$`,
  'i',
);
/**
 * The first two letters, lower-cased, that a call line can start with (`missed`, `voice`,
 * `llamada`, `пропущенный`…): text starting otherwise skips the call pattern.
 */
const CALL_STARTS = new Set(
  ['mi', 'si', 'gr', 'vo', 'vi', 'll', 've', 'ap', 'ch', 'ge', 'ce', 'pa', 'пр'].map(
    (start) => start.charCodeAt(0) * 0x10000 + start.charCodeAt(1),
  ),
);

/**
 * Characters the case-insensitive call and notice patterns match for a Cyrillic first letter
 * (`п`, `с`), besides the letter itself in either case.
 */
const CYRILLIC_CASE_VARIANTS: ReadonlyMap<number, number> = new Map([
  [0x1c82, 0x43e],
  [0x1c83, 0x441],
]);

/** A letter lower-cased the way the patterns' `i` flag compares it, for ASCII and Cyrillic. */
export function foldLetter(code: number): number {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  if (code >= 0x410 && code <= 0x42f) return code + 0x20;
  return code === 0x1c82 || code === 0x1c83 ? CYRILLIC_CASE_VARIANTS.get(code)! : code;
}

/** Pairs of ASCII characters, as a table: one load instead of a hash lookup. */
function pairTable(pairs: ReadonlySet<number>): Uint8Array {
  const table = new Uint8Array(0x4000);
  for (const pair of pairs) {
    const first = pair >>> 16;
    const second = pair & 0xffff;
    if (first < 0x80 && second < 0x80) table[(first << 7) | second] = 1;
  }
  return table;
}

/** True when the text starts with one of the pairs of letters (as `foldLetter` folds them). */
function startsWithPair(
  text: string,
  index: number,
  pairs: ReadonlySet<number>,
  table: Uint8Array,
) {
  const first = foldLetter(text.charCodeAt(index));
  const second = foldLetter(text.charCodeAt(index + 1));
  if (first < 0x80 && second < 0x80) return table[(first << 7) | second] === 1;
  return pairs.has(first * 0x10000 + second);
}

const CALL_START_TABLE = pairTable(CALL_STARTS);

/** True when `text` (trimmed, without marks) may be a call line. */
export function mayBeCall(text: string): boolean {
  return (
    text.length <= 48 && startsWithPair(text, 0, CALL_STARTS, CALL_START_TABLE) && CALL.test(text)
  );
}

/**
 * Length and last character of every whole-body placeholder (also with a final full stop), so
 * that ordinary text skips building a lookup key: a few per cent of messages need one.
 */
const EXACT_SHAPES = new Set(
  [...EXACT.keys()].flatMap((key) => {
    const last = key.charCodeAt(key.length - 1);
    return [
      key.length * 0x10000 + last,
      (key.length + 1) * 0x10000 + 0x2e,
      (key.length + 1) * 0x10000 + 0x3002,
    ];
  }),
);

/** The shape of a text as EXACT_SHAPES counts it, its last character lower-cased. */
function shapeOf(trimmed: string): number {
  return shapeFrom(trimmed.length, trimmed.charCodeAt(trimmed.length - 1));
}

/**
 * Shapes (as `shapeOf` makes them) as a table of their length and last character, each modulo
 * 256: a quick "no" before the set itself.
 */
function shapeTable(shapes: Iterable<number>): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const shape of shapes) table[((shape >>> 16) & 0xff) * 0x100 + (shape & 0xff)] = 1;
  return table;
}

function inShapes(shape: number, table: Uint8Array, shapes: ReadonlySet<number>): boolean {
  return table[((shape >>> 16) & 0xff) * 0x100 + (shape & 0xff)] === 1 && shapes.has(shape);
}

/** Lower-cased last characters above ASCII, as `shapeOf` folds them; 0 where not known yet. */
const lowerLast = new Uint16Array(0x10000);

function shapeFrom(length: number, code: number): number {
  let last = code;
  if (last >= 0x41 && last <= 0x5a) {
    last += 0x20;
  } else if (last > 0x7f && (last < 0xd800 || last > 0xdfff)) {
    // Half a surrogate pair has no case; any other character is folded once and remembered.
    let lower = lowerLast[last]!;
    if (lower === 0) {
      lower = String.fromCharCode(last).toLowerCase().replace('ı', 'i').charCodeAt(0);
      lowerLast[last] = lower;
    }
    last = lower;
  }
  return length * 0x10000 + last;
}
/** Last words of the placeholders above, to skip the slow checks for ordinary text. */
const OMITTED_LAST_WORDS = new Set(
  KIND_OMITTED_ENTRIES.map(([value]) => value.slice(value.lastIndexOf(' ') + 1)),
);

const OMITTED_TAIL_SHAPES = new Set([...OMITTED_LAST_WORDS].map((word) => shapeOf(word)));
const OMITTED_TAIL_TABLE = shapeTable(OMITTED_TAIL_SHAPES);
const EXACT_TABLE = shapeTable(EXACT_SHAPES);

function lastWord(key: string): string {
  return key.slice(key.lastIndexOf(' ') + 1);
}

/** iOS with media: `<attached: 00000012-PHOTO-2020-01-01-12-00-00.jpg>`, in any language. */
const ATTACHED = /^([^]*?)[\s\u200E\u200F]*<[\u200E\u200F]?[^<>:\d]{2,30}:\s?([^<>]+)>$/u;
/** iOS, 2015-era: `2015-08-04-PHOTO-00004762.jpg <attached>`. */
const OLD_ATTACHED = /^(\S[^<>]*?\.[A-Za-z0-9]{2,5})\s<[\u200E\u200F]?[^<>:\s]{2,30}>$/u;
/** Android with media: `IMG-20190101-WA0000.jpg (file attached)`. */
const FILE_WITH_NOTE = /^(.+?\.[A-Za-z0-9]{1,6}) \(([^()]{3,40})\)$/u;
/** Android media file names: IMG-, VID-, PTT-, AUD-, STK-, DOC- with a date and a counter. */
const ANDROID_MEDIA_NAME = /^(?:IMG|VID|PTT|AUD|STK|DOC|GIF)-\d{8}-WA\d{4}/;
/** iOS media file names: the message number, then PHOTO, VIDEO, AUDIO, GIF, STICKER. */
const IOS_MEDIA_NAME = /^\d{8}-(PHOTO|VIDEO|AUDIO|GIF|STICKER|CONTACT)?/;

/** The attachment type of a file in an export, from its WhatsApp name or its extension. */
export function attachmentTypeOf(fileName: string): AttachmentType {
  const ios = IOS_MEDIA_NAME.exec(fileName)?.[1];
  if (ios === 'PHOTO') return 'image';
  if (ios === 'VIDEO') return 'video';
  if (ios === 'AUDIO') return 'audio';
  if (ios === 'GIF') return 'gif';
  if (ios === 'STICKER') return 'sticker';
  if (ios === 'CONTACT') return 'contact';
  const prefix = fileName.slice(0, 4);
  if (prefix === 'STK-') return 'sticker';
  if (prefix === 'GIF-') return 'gif';
  if (prefix === 'PTT-' || prefix === 'AUD-') return 'audio';
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (['jpg', 'jpeg', 'png', 'heic', 'heif', 'gif', 'bmp', 'tif', 'tiff'].includes(extension))
    return 'image';
  if (extension === 'webp') return 'sticker';
  if (['mp4', 'mov', '3gp', 'm4v', 'mkv', 'avi', 'webm'].includes(extension)) return 'video';
  if (['opus', 'ogg', 'm4a', 'mp3', 'aac', 'amr', 'wav', 'caf'].includes(extension)) return 'audio';
  if (extension === 'vcf') return 'contact';
  return 'file';
}

function messageTypeOf(attachment: AttachmentType): MessageType {
  if (attachment === 'sticker') return 'sticker';
  if (attachment === 'contact') return 'contact';
  if (attachment === 'location') return 'location';
  return 'media';
}

/** How one message body reads once the platform's markers are understood. */
export interface BodyReading {
  type: MessageType;
  /** What the person typed, markers removed (a caption, a poll question); may be "". */
  text: string;
  attachments?: Attachment[];
  edited?: true;
}

/** The body without a trailing `<This message was edited>` (any language), or undefined when it has none. */
function stripEdited(body: string): string | undefined {
  if (body.charCodeAt(body.length - 1) !== 0x3e && !body.trimEnd().endsWith('>')) return undefined;
  const end = body.trimEnd();
  const open = end.lastIndexOf('<');
  if (open === -1) return undefined;
  if (!EDITED_KEYS.has(markerKey(end.slice(open + 1, -1)))) return undefined;
  return end.slice(0, open).replace(/[\s\u200E\u200F]+$/u, '');
}

/** True for text of nothing but spaces and direction marks. */
function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (
      code > 0x20 &&
      !(code >= 0x200e && code <= 0x200f) &&
      !(code >= 0x202a && code <= 0x202e) &&
      code !== 0xa0 &&
      code !== 0x202f &&
      code !== 0xfeff
    ) {
      return false;
    }
  }
  return true;
}

function media(type: AttachmentType, text: string, attachment: Attachment = { type }): BodyReading {
  return { type: messageTypeOf(type), text, attachments: [attachment] };
}

function fileAttachment(fileName: string): Attachment {
  return { type: attachmentTypeOf(fileName), name: fileName, uri: fileName };
}

/** Reads an attachment, placeholder, call, location or poll; undefined for anything else. */
function readMarker(body: string): BodyReading | undefined {
  const clean = stripDirectionMarks(body);
  const trimmed = clean.trim();
  if (EXACT_SHAPES.has(shapeOf(trimmed))) {
    const exact = EXACT.get(markerKey(trimmed));
    if (exact !== undefined) return exact();
  }
  if (mayBeCall(trimmed)) return { type: 'call', text: '' };

  const newline = trimmed.indexOf('\n');
  const first = newline === -1 ? trimmed : trimmed.slice(0, newline).trimEnd();
  const bracketed = trimmed.endsWith('>');
  const tail = lastWord(trimmed);
  const omittedTail =
    OMITTED_TAIL_SHAPES.has(shapeOf(tail)) && OMITTED_LAST_WORDS.has(markerKey(tail));
  // Ordinary text ends none of the ways a marker does: skip the slower checks.
  if (
    !bracketed &&
    !omittedTail &&
    !first.endsWith(')') &&
    !first.endsWith(':') &&
    !trimmed.includes('://')
  ) {
    return undefined;
  }
  const rest = newline === -1 ? '' : trimmed.slice(newline + 1);
  // Android: the file name, a note in brackets, and on the next lines a caption (or the
  // document's name again, which is not a caption).
  const withNote = first.endsWith(')') ? FILE_WITH_NOTE.exec(first) : null;
  if (
    withNote &&
    (FILE_ATTACHED_KEYS.has(markerKey(withNote[2]!)) || ANDROID_MEDIA_NAME.test(withNote[1]!))
  ) {
    const fileName = withNote[1]!;
    const stem = fileName.replace(/\.[^.]+$/, '');
    const caption = rest.trim() === stem || rest.trim() === fileName ? '' : rest;
    return media(attachmentTypeOf(fileName), caption, fileAttachment(fileName));
  }
  const attached = bracketed ? ATTACHED.exec(trimmed) : null;
  if (attached && /\.[A-Za-z0-9]{1,6}$/.test(attached[2]!.trim())) {
    const fileName = attached[2]!.trim();
    const before = attached[1]!.trim();
    // iOS documents: `Title • 3 pages <attached: 00000001-Title.pdf>`; the title is not typed.
    const caption = /\s•\s/.test(before) || before === '' ? '' : before;
    return media(attachmentTypeOf(fileName), caption, fileAttachment(fileName));
  }
  const old = bracketed ? OLD_ATTACHED.exec(trimmed) : null;
  if (old) return media(attachmentTypeOf(old[1]!), '', fileAttachment(old[1]!));
  // iOS documents without media: `Title • 1 page document omitted`.
  const key = omittedTail ? markerKey(trimmed) : '';
  for (const [omitted, omittedKind] of omittedTail ? KIND_OMITTED_ENTRIES : []) {
    if (key.endsWith(` ${omitted}`) && (omittedKind === 'document' || /\s•\s/.test(key))) {
      const title = trimmed
        .slice(0, trimmed.length - omitted.length)
        .replace(/\s•\s[^•]*$/u, '')
        .trim();
      return media(omittedKind === 'document' ? 'file' : omittedKind, '', {
        type: omittedKind === 'document' ? 'file' : omittedKind,
        ...(title ? { name: title } : {}),
      });
    }
  }
  if (trimmed.includes('://')) {
    const location = readLocation(trimmed);
    if (location) return location;
  }
  if (
    first.trimEnd().endsWith(':') &&
    POLL_HEAD.test(first.trim()) &&
    rest.split('\n').some((line) => POLL_OPTION.test(line.trim()))
  ) {
    const question =
      rest.split('\n').find((line) => line.trim() !== '' && !POLL_OPTION.test(line.trim())) ?? '';
    return { type: 'poll', text: question.trim() };
  }
  return undefined;
}

const GENERIC_LOCATION_LABEL =
  /^(?:location|live location|ubicación|standort|localisation|position|posizione|localização|locatie|местоположение|konum|lokasi)$/i;

/** A shared location: a map link on the last line, a place name and address before it. */
function readLocation(trimmed: string): BodyReading | undefined {
  const lines = trimmed.split('\n');
  const lastLine = lines[lines.length - 1]!.trim();
  const mapLink = MAP_LINK.exec(lastLine);
  // Shared locations put the link after "label: "; a link a person pasted into a sentence is text.
  const before = mapLink ? lastLine.slice(0, mapLink.index) : '';
  if (mapLink && lines.length <= 3 && /(?:^|:\s*)$/.test(before)) {
    const label = before.replace(/:\s*$/, '').trim();
    const name = [...lines.slice(0, -1), GENERIC_LOCATION_LABEL.test(label) ? '' : label]
      .map((part) => part.trim())
      .filter(Boolean)[0];
    return media('location', '', { type: 'location', ...(name ? { name } : {}), uri: mapLink[1]! });
  }
  return undefined;
}

/** Words every notice contains, so that ordinary text skips the notice patterns in one scan. */
const NOTICE_WORDS =
  /end-to-end|extremo a extremo|Ende-zu-Ende|bout en bout|ponta a ponta|сквозным|uçtan uca|security code|disappear|timer|business|Meta|Waiting for this|blocked this|Tap to/i;
/** Words every event contains, for the same reason. */
const EVENT_WORDS =
  /added|removed|left|joined|created|changed|deleted|admin|pinned|invite link|approval|started a call|creó|añadió|agregó|salió|unió|erstellt|hinzugefügt|verlassen|créé|ajouté|parti|criou|adicionou|saiu|creato|aggiunto|uscit/i;

/**
 * How the notices start, as their first two letters lower-cased: each pattern anchored at the
 * start begins with one of these.
 */
const NOTICE_STARTS = new Set(
  ['me', 'lo', 'le', 'na', 'ne', 'i ', 'as', 'be', 'со', 'pe', 'yo', 'di', 'th', 'ta', 'wa'].map(
    (start) => start.charCodeAt(0) * 0x10000 + start.charCodeAt(1),
  ),
);
const NOTICE_START_TABLE = pairTable(NOTICE_STARTS);

/**
 * What the notices not anchored at the start contain, and direction marks (which the patterns
 * see removed, so they can hide anything).
 */
const NOTICE_ANYWHERE = new RegExp(
  `${ANYWHERE_NOTICE_PHRASES.join('|')}|[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]`,
  'i',
);

/** True unless no notice pattern can match: most text starts and reads like no notice. */
export function mayBeNotice(text: string): boolean {
  return startsLikeNotice(text) || NOTICE_ANYWHERE.test(text);
}

/** True for a notice that is system text whoever the export attributes it to. */
export function isNotice(text: string): boolean {
  // The shortest notice, "Tap to change", has 13 characters.
  if (text.length < 13 || !mayBeNotice(text) || !NOTICE_WORDS.test(text)) return false;
  const clean = stripDirectionMarks(text).trim();
  return NOTICES.some((pattern) => pattern.test(clean));
}

/** True for a group or membership event, or a notice. */
export function isSystemSentence(text: string): boolean {
  return !text.includes('\n') && (isNotice(text) || isEvent(text));
}

/** True for a group or membership event on one line ("Alice added Bob"). */
export function isEvent(text: string): boolean {
  if (text.includes('\n') || !EVENT_WORDS.test(text)) return false;
  const clean = stripDirectionMarks(text).trim();
  return EVENTS.some((pattern) => pattern.test(clean));
}

/**
 * Reads the body of an attributed line. Undefined `type` never happens: anything that is not
 * a known marker is text, with a trailing edit note removed.
 */
export function readBody(body: string): BodyReading {
  const withoutNote = stripEdited(body);
  const edited = withoutNote !== undefined;
  const unedited = withoutNote ?? body;
  const reading = readMarker(unedited) ?? { type: 'text' as const, text: unedited };
  if (reading.type === 'text' && isBlank(reading.text)) {
    // Messages in disappearing mode and view-once media export with an empty body.
    return { type: 'deleted', text: '', ...(edited ? { edited: true } : {}) };
  }
  return edited ? { ...reading, edited: true } : reading;
}

/**
 * True when `readBody(body)` is the body itself as text: no marker, placeholder, call, edit
 * note or attachment, and not blank. It decides from a few characters, without copies; false
 * means "read it properly", not "not text". The body must be common text (`isCommonText`): no
 * direction mark, no link. `multiline` false says it has no line break, which saves looking.
 */
export function readsAsPlainText(body: string, multiline = true): boolean {
  const length = body.length;
  if (length === 0) return false;
  const first = body.charCodeAt(0);
  const last = body.charCodeAt(length - 1);
  // Outer spaces and control characters, `<… omitted>`, `<attached: …>`, an edit note.
  if (first <= 0x20 || last <= 0x20 || last === 0x3e || isTrimSpace(first) || isTrimSpace(last))
    return false;
  // A file with a note, a poll, a location label: the first line ends with ")" or ":".
  const newline = multiline ? body.indexOf('\n') : -1;
  const firstLineEnd = newline === -1 ? last : body.charCodeAt(newline - 1);
  if (firstLineEnd === 0x29 || firstLineEnd === 0x3a || isTrimSpace(firstLineEnd)) return false;
  // A placeholder that is the whole body ("<Media omitted>", "This message was deleted").
  if (inShapes(shapeFrom(length, last), EXACT_TABLE, EXACT_SHAPES) && EXACT.has(markerKey(body)))
    return false;
  // "… image omitted" and the like, in any language.
  let space = length - 2;
  while (space >= 0 && body.charCodeAt(space) !== 0x20) space -= 1;
  if (
    inShapes(shapeFrom(length - space - 1, last), OMITTED_TAIL_TABLE, OMITTED_TAIL_SHAPES) &&
    OMITTED_LAST_WORDS.has(markerKey(body.slice(space + 1)))
  ) {
    return false;
  }
  return !mayBeCall(body);
}

/**
 * False when no notice anchored at the start can match the text: for text that holds none of
 * the phrases a notice can have anywhere (see `isCommonText`), `isNotice` is then false too.
 */
export function startsLikeNotice(text: string): boolean {
  let index = 0;
  while (index < text.length && isTrimSpace(text.charCodeAt(index))) index += 1;
  return startsWithPair(text, index, NOTICE_STARTS, NOTICE_START_TABLE);
}
