import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  chatSentence,
  defineBenchmark,
  parserSubject,
  pick,
  seededRandom,
} from '@alterego/core/test';
import type BetterSqlite3 from 'better-sqlite3';
import { encodeAttributedBody } from '../src/__fixtures__/attributed-body-writer.js';
import { RECENT_SCHEMA } from '../src/__fixtures__/chat-db.js';
import { imessage } from '../src/index.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

const MIMES = ['image/jpeg', 'image/heic', 'video/quicktime', 'audio/x-caf', 'image/gif'];
const CHATS = 400;
const HANDLES = 600;
const START_NS = 600_000_000n * 1_000_000_000n;

/** The message rows both subjects read: every message of every chat, tapbacks included. */
const FLOOR_QUERY = `SELECT c.chat_id, m.ROWID, m.guid, m.text, m.attributedBody, m.handle_id, m.is_from_me,
  m.date, m.item_type, m.associated_message_guid, m.associated_message_type, m.thread_originator_guid,
  m.date_edited, m.date_retracted, m.balloon_bundle_id
  FROM chat_message_join AS c JOIN message AS m ON m.ROWID = c.message_id`;

export default defineBenchmark({
  name: 'imessage-parse',
  description:
    'parse a macOS Messages chat.db (recent schema: text, attributedBody-only rows, tapbacks, attachments, groups), against a bare SELECT of the same rows',
  size: { unit: 'messages', default: 1_000_000 },
  itemUnit: 'messages',
  async generate({ size, dir }) {
    const path = join(dir, 'chat.db');
    const db = new Database(path);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(RECENT_SCHEMA);
    const next = seededRandom(11);
    const insertHandle = db.prepare('INSERT INTO handle (id, service) VALUES (?, ?)');
    const insertChat = db.prepare(
      'INSERT INTO chat (guid, style, chat_identifier, service_name, display_name) VALUES (?, ?, ?, ?, ?)',
    );
    const insertMember = db.prepare(
      'INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)',
    );
    const insertMessage = db.prepare(
      `INSERT INTO message (guid, text, attributedBody, handle_id, is_from_me, date, associated_message_guid,
        associated_message_type, thread_originator_guid, cache_has_attachments, service)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'iMessage')`,
    );
    const insertJoin = db.prepare(
      'INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)',
    );
    const insertAttachment = db.prepare(
      'INSERT INTO attachment (guid, original_guid, filename, mime_type, transfer_name) VALUES (?, ?, ?, ?, ?)',
    );
    const insertAttachmentJoin = db.prepare(
      'INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (?, ?)',
    );
    let items = 0;
    db.transaction(() => {
      for (let handle = 1; handle <= HANDLES; handle += 1) {
        insertHandle.run(
          handle % 3 === 0
            ? `friend${handle}@example.com`
            : `+1555${String(handle).padStart(7, '0')}`,
          'iMessage',
        );
      }
      const members: number[][] = [];
      for (let chat = 1; chat <= CHATS; chat += 1) {
        const group = chat % 5 === 0;
        const people = group
          ? Array.from(
              { length: 3 + Math.floor(next() * 5) },
              () => 1 + Math.floor(next() * HANDLES),
            )
          : [1 + Math.floor(next() * HANDLES)];
        const unique = [...new Set(people)];
        insertChat.run(
          group ? `iMessage;+;chat${chat}` : `iMessage;-;h${unique[0]};${chat}`,
          group ? 43 : 45,
          group ? `chat${chat}` : `h${unique[0]}`,
          'iMessage',
          group && chat % 10 === 0 ? `Group ${chat}` : '',
        );
        for (const handle of unique) insertMember.run(chat, handle);
        members.push(unique);
      }
      const recent: string[][] = Array.from({ length: CHATS }, () => []);
      let date = START_NS;
      for (let index = 0; index < size; index += 1) {
        const chat = Math.floor(next() * CHATS);
        const people = members[chat]!;
        const fromMe = next() < 0.4;
        const handle = fromMe ? 0 : pick(next, people);
        date += BigInt(Math.floor(next() * 60_000_000_000));
        const guid = `M${index}`;
        const roll = next();
        const targets = recent[chat]!;
        let text: string | null = chatSentence(next);
        let body: Buffer | null = null;
        let assocGuid: string | null = null;
        let assocType = 0;
        let thread: string | null = null;
        let attach = false;
        if (roll < 0.04 && targets.length > 0) {
          assocGuid = `p:0/${pick(next, targets)}`;
          assocType = 2000 + Math.floor(next() * 6);
          text = `Loved “${text}”`;
        } else {
          items += 1;
          if (roll < 0.3) {
            body = encodeAttributedBody(text);
            text = null;
          } else if (roll < 0.34) {
            attach = true;
            text = '\uFFFC';
          } else if (roll < 0.36 && targets.length > 0) {
            thread = pick(next, targets);
          }
          targets.push(guid);
          if (targets.length > 20) targets.shift();
        }
        const rowid = Number(
          insertMessage.run(
            guid,
            text,
            body,
            handle,
            fromMe ? 1 : 0,
            date,
            assocGuid,
            assocType,
            thread,
            attach ? 1 : 0,
          ).lastInsertRowid,
        );
        insertJoin.run(chat + 1, rowid, date);
        if (attach) {
          const mime = pick(next, MIMES);
          const name = `IMG_${index}.${mime.split('/')[1]}`;
          const attachment = Number(
            insertAttachment.run(
              `at_${index}`,
              `at_${index}`,
              `~/Library/Messages/Attachments/${name}`,
              mime,
              name,
            ).lastInsertRowid,
          );
          insertAttachmentJoin.run(rowid, attachment);
        }
      }
    })();
    db.close();
    return { path, bytes: (await stat(path)).size, items };
  },
  subjects: [
    parserSubject({ name: '@alterego/parser-imessage', parser: imessage }),
    {
      name: 'floor: bare better-sqlite3 SELECT of the rows',
      peer: true,
      async run(path) {
        const db = new Database(path, { readonly: true, fileMustExist: true });
        let items = 0;
        try {
          for (const row of db.prepare(FLOOR_QUERY).iterate() as IterableIterator<{
            associated_message_type: number;
          }>) {
            if (row.associated_message_type < 2000) items += 1;
          }
        } finally {
          db.close();
        }
        return { items };
      },
    },
  ],
});
