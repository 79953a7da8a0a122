import type { Conversation } from '../conversation.js';

/** A small valid conversation; tests copy it and break one thing at a time. */
export function validConversation(): Conversation {
  return {
    schema: 'alterego.conversation/1',
    id: 'whatsapp:abc123',
    platform: 'whatsapp',
    kind: 'direct',
    title: 'Alex',
    participants: [
      { id: 'p1', name: 'Sam Rivera', self: true },
      { id: 'p2', name: 'Alex', handles: ['+15550100'], self: false },
    ],
    messages: [
      { id: 'm1', senderId: null, time: '2023-12-30T21:15:00.000Z', type: 'system', text: 'Messages and calls are end-to-end encrypted.' },
      { id: 'm2', senderId: 'p2', time: '2023-12-30T21:15:00.000Z', type: 'text', text: 'hey 👋\nyou up?', reactions: [{ emoji: '❤️', senderId: 'p1' }] },
      { id: 'm3', senderId: 'p1', time: '2023-12-30T21:16:30.000Z', type: 'text', text: 'yes — café?', replyTo: 'm2', edited: true },
      { id: 'm4', senderId: 'p1', time: '2023-12-30T21:17:00.000Z', type: 'media', text: '', attachments: [{ type: 'image', name: 'IMG-1.jpg' }] },
    ],
    source: { format: 'whatsapp-txt', file: 'WhatsApp Chat with Alex.txt' },
  };
}
