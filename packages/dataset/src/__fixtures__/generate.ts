import type { Conversation, Message } from '@alterego/core';
import { CHAT_WORDS, pick, seededRandom } from '@alterego/core/test';

/** Private data planted in generated messages; none of it may reach a dataset with redaction on. */
export const PLANTED = [
  ['call me +1 (555) 010-7788', '+1 (555) 010-7788'],
  ['mail sam.rivera@example.com', 'sam.rivera@example.com'],
  ['card 4111 1111 1111 1111', '4111 1111 1111 1111'],
  ['iban DE89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130 00'],
  ['server 10.20.30.40', '10.20.30.40'],
  ['say hi to Priyanka', 'Priyanka'],
] as const;

/** The word-list name planted above. */
export const PLANTED_WORD = 'Priyanka';

const TRIVIAL = ['ok', 'lol', 'haha', 'ok!', 'yes'];

/**
 * Random conversations for property tests. Every text line starts with a marker that says who
 * wrote it and when: `S<n>` for the person, `O<n>` for anyone else, n indexing `times`. The
 * person also sends unmarked trivial replies ("ok", "lol") that only they ever send.
 */
export function generateConversations(seed: number): { conversations: Conversation[]; times: number[] } {
  const random = seededRandom(seed);
  const times: number[] = [];
  const conversations: Conversation[] = [];
  const count = 2 + Math.floor(random() * 4);
  let time = Date.UTC(2023, 0, 1) + Math.floor(random() * 1e9);
  for (let c = 0; c < count; c += 1) {
    const roll = random();
    const kind: Conversation['kind'] = roll < 0.2 ? 'posts' : roll < 0.5 ? 'group' : 'direct';
    const others =
      kind === 'posts'
        ? []
        : kind === 'group'
          ? [
              { id: 'a', name: 'Alex Chen', self: false },
              { id: 'b', name: 'Mia 🌸', self: false },
              { id: 'c', name: 'Olek', self: false },
            ]
          : [{ id: 'a', name: 'Alex Chen', self: false }];
    const participants = [{ id: 'me', name: 'Sam Rivera', self: true }, ...others];
    const messages: Message[] = [];
    const length = 20 + Math.floor(random() * 80);
    for (let index = 0; index < length; index += 1) {
      // Mostly seconds to minutes apart; sometimes hours, days or months of silence.
      const gapRoll = random();
      time +=
        gapRoll < 0.7
          ? Math.floor(random() * 300_000)
          : gapRoll < 0.85
            ? Math.floor(random() * 7_200_000)
            : gapRoll < 0.97
              ? 86_400_000 + Math.floor(random() * 86_400_000 * 3)
              : Math.floor(random() * 86_400_000 * 90);
      const self = kind === 'posts' || others.length === 0 || random() < 0.4;
      const sender = self ? 'me' : pick(random, others).id;
      const typeRoll = random();
      const iso = new Date(time).toISOString();
      const id = `m${index}`;
      if (typeRoll < 0.08) {
        messages.push({ id, senderId: sender, time: iso, type: 'media', text: '', attachments: [{ type: 'image' }] });
        continue;
      }
      if (typeRoll < 0.1) {
        messages.push({ id, senderId: null, time: iso, type: 'system', text: 'S999 Alex changed the subject' });
        continue;
      }
      if (typeRoll < 0.12) {
        messages.push({ id, senderId: sender, time: iso, type: 'deleted', text: '' });
        continue;
      }
      if (typeRoll < 0.15) {
        messages.push({ id, senderId: sender, time: iso, type: 'text', text: 'https://example.com/x' });
        continue;
      }
      if (self && typeRoll < 0.3) {
        messages.push({ id, senderId: sender, time: iso, type: 'text', text: pick(random, TRIVIAL) });
        continue;
      }
      const lines = random() < 0.15 ? 2 : 1;
      const parts: string[] = [];
      for (let line = 0; line < lines; line += 1) {
        const marker = `${self ? 'S' : 'O'}${times.length}`;
        times.push(time);
        const extra =
          random() < 0.1
            ? pick(random, PLANTED)[0]
            : random() < 0.03
              ? 'code 482913'
              : pick(random, CHAT_WORDS);
        parts.push(`${marker} ${extra}`);
      }
      messages.push({ id, senderId: sender, time: iso, type: 'text', text: parts.join('\n') });
    }
    conversations.push({
      schema: 'alterego.conversation/1',
      id: `whatsapp:gen-${seed}-${c}`,
      platform: kind === 'posts' ? 'twitter' : 'whatsapp',
      kind,
      title: kind === 'posts' ? null : `Chat ${c}`,
      participants,
      messages,
      source: { format: 'test', file: 'generated' },
    });
  }
  // The same chat exported twice: a copy of the first conversation under another id.
  conversations.push({ ...conversations[0]!, id: `${conversations[0]!.id}-copy` });
  return { conversations, times };
}
