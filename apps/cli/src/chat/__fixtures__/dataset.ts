import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Conversation, Message } from '@alterego/core';
import { writeDataset } from '@alterego/dataset';

/** What Alex sends (one or two messages) and what Sam answers (one or two bubbles). */
export const EXCHANGES: readonly [string[], string[]][] = [
  [['pizza tonight?', 'or tacos'], ['yes!! pizza 🍕', 'the usual place?']],
  [['did you see the game'], ['ugh don’t remind me']],
  [['coffee tomorrow morning?', 'early'], ['only if it’s before 9', 'I have a call at 10']],
  [['how was the concert'], ['SO good', 'my ears are still ringing']],
  [['can you feed the cat this weekend'], ['of course 🐱']],
  [['want to go hiking saturday', 'weather looks good'], ['in!! which trail', 'I’ll bring snacks']],
  [['movie night?'], ['yes but I pick this time']],
  [['happy birthday!!'], ['thank youuu 🥳']],
  [['are you coming to the party'], ['maybe late', 'work is chaos']],
  [['lunch at noon?'], ['noon works']],
  [['have you finished the book'], ['two chapters left', 'no spoilers!!']],
  [['new phone who dis'], ['lol very funny']],
  [['did you water the plants', 'the basil looks sad'], ['oops', 'doing it now 🌱']],
  [['train is delayed again'], ['classic', 'want me to pick you up?']],
  [['what are you cooking'], ['risotto, come over']],
  [['is the wifi down for you'], ['yep restarting the router']],
  [['guess who I ran into'], ['WHO', 'tell me everything']],
  [['can I borrow your drill'], ['sure, it’s in the hallway closet']],
  [['beach this weekend?', 'it’ll be 30 degrees'], ['YES', 'I’ll bring the umbrella ⛱️']],
  [['did you book the flights'], ['not yet, prices went up 😩']],
  [['running late', '10 min'], ['no worries', 'I’ll grab a table']],
  [['what time is the dentist'], ['3pm, don’t let me forget']],
  [['your mom called'], ['ok I’ll call her back tonight']],
  [['board games thursday?'], ['not the 4 hour one please']],
  [['thanks for yesterday'], ['anytime ❤️']],
  [['are we still on for sunday'], ['yes!! 11 at the park']],
  [['did you get my package'], ['it’s here, thank you!!']],
  [['I passed the exam!!'], ['NO WAY', 'congrats 🎉🎉']],
  [['need anything from the store'], ['oat milk and bread pls']],
  [['can you send me the photos'], ['sending now 📸']],
];

/** One WhatsApp chat between Sam Rivera (self) and Alex Chen: each exchange on its own day. */
export function fixtureConversation(): Conversation {
  const messages: Message[] = [];
  EXCHANGES.forEach(([prompts, replies], day) => {
    const lines: [string, string][] = [
      ...prompts.map((text): [string, string] => ['p2', text]),
      ...replies.map((text): [string, string] => ['p1', text]),
    ];
    lines.forEach(([senderId, text], index) => {
      messages.push({
        id: `m${day}-${index}`,
        senderId,
        time: new Date(Date.UTC(2024, 0, 1 + day, 18, index)).toISOString(),
        type: 'text',
        text,
      });
    });
  });
  return {
    schema: 'alterego.conversation/1',
    id: 'whatsapp:alex',
    platform: 'whatsapp',
    kind: 'direct',
    title: 'Alex Chen',
    participants: [
      { id: 'p1', name: 'Sam Rivera', self: true },
      { id: 'p2', name: 'Alex Chen', self: false },
    ],
    messages,
    source: { format: 'whatsapp-txt', file: 'WhatsApp Chat with Alex Chen.txt' },
  };
}

/** Writes the fixture dataset (train.jsonl, valid.jsonl, manifest.json) into `dir`. */
export async function writeFixtureDataset(dir: string): Promise<string> {
  await writeDataset(dir, [fixtureConversation()], { name: 'Sam Rivera', mode: 'pairs' });
  return dir;
}

/** The exchanges that went into train.jsonl: what the retrieval backend answers from. */
export async function trainedExchanges(dir: string): Promise<{ prompt: string; reply: string }[]> {
  const text = await readFile(join(dir, 'train.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { messages } = JSON.parse(line) as {
        messages: { role: string; content: string }[];
      };
      const reply = messages.at(-1)?.content ?? '';
      const prompt = messages.at(-2)?.content ?? '';
      return { prompt, reply };
    });
}
