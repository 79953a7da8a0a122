import { describe, expect, it } from 'vitest';
import { createPersonCheck } from './people.js';
import { classifySystemText } from './system-text.js';

const people = createPersonCheck(['Alex Chen', 'Priya Nair', 'Sam Rivera']);

const EXAMPLES: [string, string, string?][] = [
  ['Alex sent an attachment.', 'attachment'],
  ['You sent an attachment.', 'attachment'],
  ['Alex Chen sent a photo.', 'image'],
  ['Alex sent 3 photos.', 'image'],
  ['Alex sent a GIF.', 'gif'],
  ['Alex sent a location.', 'location'],
  ['Reacted ❤️ to your message ', 'reaction', '❤️'],
  ['Priya reacted 👍 to your message', 'reaction', '👍'],
  ['Liked a message', 'reaction'],
  ['Alex unsent a message.', 'unsent'],
  ['Alex missed your call.', 'call'],
  ['You called Alex.', 'call'],
  ['Alex called you.', 'call'],
  ['The video call ended.', 'call'],
  ['Priya added Alex Chen to the group.', 'group'],
  ['Alex left the group.', 'group'],
  ['Priya named the group Weekend Crew.', 'group'],
  ['Priya set the nickname for Alex to Al.', 'group'],
  ['Alex changed the group photo.', 'group'],
  ['You are now connected on Messenger', 'notice'],
  ['Priya created a poll: Which trail?', 'poll'],
  ['Alex hat einen Anhang gesendet.', 'attachment'],
  ['Hat mit 😂 auf deine Nachricht reagiert', 'reaction', '😂'],
  ['Alex hat deinen Anruf verpasst.', 'call'],
  ['Priya hat Alex zur Gruppe hinzugefügt.', 'group'],
  ['Alex a envoyé une pièce jointe.', 'attachment'],
  ['A réagi 😮 à votre message ', 'reaction', '😮'],
  ['Alex a quitté le groupe.', 'group'],
  ['L’appel vidéo est terminé.', 'call'],
  ['Alex envió un archivo adjunto.', 'attachment'],
  ['Reaccionó con 😢 a tu mensaje', 'reaction', '😢'],
  ['Alex te llamó.', 'call'],
  ['Alex enviou um anexo.', 'attachment'],
  ['Reagiu com 👍 à sua mensagem', 'reaction', '👍'],
  ['Alex saiu do grupo.', 'group'],
  ['Alex ha inviato un allegato.', 'attachment'],
  ['Ha reagito con ❤ al tuo messaggio', 'reaction', '❤'],
  ['La videochiamata è terminata.', 'call'],
];

describe('classifySystemText', () => {
  for (const [text, kind, emoji] of EXAMPLES) {
    it(`recognises ${JSON.stringify(text)} as ${kind}`, () => {
      const found = classifySystemText(text, people);
      expect(found?.kind).toBe(kind);
      if (emoji) expect(found?.emoji).toBe(emoji);
    });
  }

  it('leaves words people type alone', () => {
    for (const text of [
      'I left the group.',
      'lol you called it',
      'sent it to you',
      'My mom sent an attachment.',
      'hat trick tonight?',
      'The call ended up being fun',
      'ok',
      'Reacted badly tbh',
    ]) {
      expect(classifySystemText(text, people), text).toBeUndefined();
    }
  });

  it('ignores long and multi-line content', () => {
    expect(classifySystemText(`Alex left the group.\nnot really`, people)).toBeUndefined();
    expect(classifySystemText(`${'x'.repeat(400)} left the group.`, () => true)).toBeUndefined();
  });
});
