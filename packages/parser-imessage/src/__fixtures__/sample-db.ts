import { join } from 'node:path';
import { encodeAttributedBody } from './attributed-body-writer.js';
import { appleNanos, appleSeconds, ChatDbBuilder, tempDir } from './chat-db.js';

/**
 * A recent (Sonoma) database with a direct chat and a group: text and attributedBody-only
 * messages, tapbacks and their removal, a custom emoji tapback, a reply, an edit, an unsent
 * message, attachments, group events.
 */
export function buildRecentDb(dir = tempDir(), name = 'chat.db'): string {
  const path = join(dir, name);
  const db = new ChatDbBuilder(path, 'recent');
  const alex = db.handle('+15550101234');
  const priya = db.handle('Priya.Nair@Example.com');
  const jordan = db.handle('+447700900123');
  const direct = db.chat({
    guid: 'iMessage;-;+15550101234',
    style: 45,
    chatIdentifier: '+15550101234',
    handles: [alex],
  });
  const group = db.chat({
    guid: 'iMessage;+;chat100200300',
    style: 43,
    chatIdentifier: 'chat100200300',
    displayName: 'Climbing 🧗',
    handles: [alex, priya, jordan],
  });
  const t = (iso: string) => appleNanos(iso);
  db.message(direct, { guid: 'D1', text: 'hey, dinner tonight?', handle_id: alex, is_from_me: 0, date: t('2024-03-01T18:00:00.000Z') });
  db.message(direct, {
    guid: 'D2',
    text: null,
    attributedBody: encodeAttributedBody('sure — café at 8? 😊'),
    handle_id: alex,
    is_from_me: 1,
    date: t('2024-03-01T18:01:00.000Z'),
  });
  db.message(direct, {
    guid: 'D3',
    text: 'Loved “sure — café at 8? 😊”',
    handle_id: alex,
    is_from_me: 0,
    date: t('2024-03-01T18:02:00.000Z'),
    associated_message_guid: 'p:0/D2',
    associated_message_type: 2000,
  });
  db.message(direct, {
    guid: 'D4',
    text: '\uFFFC',
    handle_id: alex,
    is_from_me: 0,
    date: t('2024-03-01T18:03:00.000Z'),
  }, [{ filename: '~/Library/Messages/Attachments/ab/11/X/IMG_1234.HEIC', mimeType: 'image/heic', transferName: 'IMG_1234.HEIC' }]);
  db.message(direct, {
    guid: 'D5',
    text: 'look at this\uFFFC\uFFFC',
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-03-01T18:04:00.000Z'),
  }, [
    { filename: '~/Library/Messages/Attachments/cd/12/Y/clip.mov', mimeType: 'video/quicktime', transferName: 'clip.mov' },
    { filename: '~/Library/Messages/Attachments/cd/12/Z/voice.caf', mimeType: 'audio/x-caf', transferName: 'Audio Message.caf' },
  ]);
  db.message(direct, {
    guid: 'D6',
    text: 'Liked an image',
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-03-01T18:05:00.000Z'),
    associated_message_guid: 'p:0/D4',
    associated_message_type: 2001,
  });
  db.message(direct, {
    guid: 'D7',
    text: 'Removed a like from an image',
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-03-01T18:06:00.000Z'),
    associated_message_guid: 'p:0/D4',
    associated_message_type: 3001,
  });
  db.message(direct, {
    guid: 'D8',
    text: 'see you there',
    handle_id: alex,
    is_from_me: 0,
    date: t('2024-03-01T18:07:00.000Z'),
    thread_originator_guid: 'D2',
    thread_originator_part: '0:0:21',
  });
  db.message(direct, {
    guid: 'D9',
    text: 'running 10 min late',
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-03-01T19:55:00.000Z'),
    date_edited: t('2024-03-01T19:56:00.000Z'),
  });
  db.message(direct, {
    guid: 'D10',
    text: null,
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-03-01T19:57:00.000Z'),
    date_edited: t('2024-03-01T19:57:30.000Z'),
    date_retracted: t('2024-03-01T19:57:30.000Z'),
  });
  db.message(direct, {
    guid: 'D11',
    text: 'Reacted 🎉 to “running 10 min late”',
    handle_id: alex,
    is_from_me: 0,
    date: t('2024-03-01T19:58:00.000Z'),
    associated_message_guid: 'p:0/D9',
    associated_message_type: 2006,
    associated_message_emoji: '🎉',
  });
  db.message(group, { guid: 'G1', text: null, handle_id: alex, is_from_me: 1, date: t('2024-04-02T09:00:00.000Z'), item_type: 2, group_title: 'Climbing 🧗' });
  db.message(group, { guid: 'G2', text: null, handle_id: 0, is_from_me: 1, date: t('2024-04-02T09:00:01.000Z'), item_type: 1, group_action_type: 0, other_handle: jordan });
  db.message(group, { guid: 'G3', text: 'who is in for saturday?', handle_id: priya, is_from_me: 0, date: t('2024-04-02T09:05:00.000Z') });
  db.message(group, { guid: 'G4', text: 'me!', handle_id: jordan, is_from_me: 0, date: t('2024-04-02T09:06:00.000Z') });
  db.message(group, {
    guid: 'G5',
    text: 'Emphasized “who is in for saturday?”',
    handle_id: 0,
    is_from_me: 1,
    date: t('2024-04-02T09:07:00.000Z'),
    associated_message_guid: 'p:0/G3',
    associated_message_type: 2004,
  });
  db.message(group, { guid: 'G6', text: null, handle_id: jordan, is_from_me: 0, date: t('2024-04-02T09:08:00.000Z'), item_type: 3, group_action_type: 0 });
  db.message(group, {
    guid: 'G7',
    text: 'https://example.com/route',
    handle_id: priya,
    is_from_me: 0,
    date: t('2024-04-02T09:09:00.000Z'),
    balloon_bundle_id: 'com.apple.messages.URLBalloonProvider',
  });
  db.message(group, {
    guid: 'G8',
    text: '\uFFFC',
    handle_id: priya,
    is_from_me: 0,
    date: t('2024-04-02T09:10:00.000Z'),
  }, [{ filename: '~/Library/Messages/Attachments/ef/13/W/sticker.heic', mimeType: 'image/heic', transferName: 'sticker.heic', isSticker: true }]);
  db.close();
  return path;
}

/** An El Capitan-era database: dates in seconds, none of the newer columns. */
export function buildOldDb(dir = tempDir(), name = 'chat.db'): string {
  const path = join(dir, name);
  const db = new ChatDbBuilder(path, 'old');
  const sam = db.handle('sam@example.org');
  const direct = db.chat({ guid: 'iMessage;-;sam@example.org', style: 45, chatIdentifier: 'sam@example.org', handles: [sam] });
  db.message(direct, { guid: 'O1', text: 'old times', handle_id: sam, is_from_me: 0, date: appleSeconds('2015-06-01T12:00:00.000Z') });
  db.message(direct, { guid: 'O2', text: 'indeed', handle_id: sam, is_from_me: 1, date: appleSeconds('2015-06-01T12:00:05.000Z') });
  db.message(direct, { guid: 'O3', text: '\uFFFC', handle_id: sam, is_from_me: 0, date: appleSeconds('2015-06-01T12:01:00.000Z') }, [
    { filename: '/Users/sam/Library/Messages/Attachments/a/b/photo.jpg', mimeType: 'image/jpeg' },
  ]);
  db.close();
  return path;
}
