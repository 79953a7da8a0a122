import { describe, expect, it } from 'vitest';
import { dmConversation, messageCreate } from './__fixtures__/archive.js';
import {
  convertDirectMessages,
  reactionEmoji,
  type DirectMessageContext,
} from './direct-messages.js';

const context: DirectMessageContext = {
  owner: { id: '1', username: 'sam', displayName: 'Sam' },
  users: new Map([['2', { screenName: 'alex' }]]),
  kind: 'direct',
  sourceFile: 'data/direct-messages.js',
  format: 'twitter-archive',
};

const at = (minute: number) => `2023-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

describe('reactionEmoji', () => {
  it('uses the reaction’s own emoji, else the one its key stands for', () => {
    expect(reactionEmoji({ reactionKey: 'emoji', emoji: '🎉' })).toBe('🎉');
    expect(reactionEmoji({ reactionKey: 'funny' })).toBe('😂');
    expect(reactionEmoji({ reactionKey: 'agree' })).toBe('👍');
    expect(reactionEmoji({ reactionKey: 'mystery' })).toBe('mystery');
    expect(reactionEmoji({})).toBeUndefined();
  });
});

describe('convertDirectMessages', () => {
  it('names people by @name when only that is known, and titles the chat with it', () => {
    const { conversation } = convertDirectMessages(
      dmConversation('1-2', [
        messageCreate({ id: '10', senderId: '2', recipientId: '1', time: at(0), text: 'hi' }),
      ]),
      context,
    );
    expect(conversation?.title).toBe('alex');
    expect(conversation?.participants).toEqual([
      { id: '1', name: 'Sam', handles: ['sam'], self: true },
      { id: '2', name: 'alex', handles: ['alex'], self: false },
    ]);
  });

  it('folds separate reaction events into their message', () => {
    const { conversation } = convertDirectMessages(
      dmConversation('1-2', [
        {
          reactionCreate: { senderId: '2', reactionKey: 'sad', messageId: '10', createdAt: at(2) },
        },
        {
          reactionCreate: {
            senderId: '2',
            reactionKey: 'sad',
            messageId: 'gone',
            createdAt: at(2),
          },
        },
        messageCreate({ id: '10', senderId: '1', recipientId: '2', time: at(0), text: 'bad news' }),
      ]),
      context,
    );
    expect(conversation?.messages).toEqual([
      expect.objectContaining({ id: '10', reactions: [{ emoji: '😢', senderId: '2' }] }),
    ]);
  });

  it('removes the link of a media message and types it media when nothing else was typed', () => {
    const { conversation } = convertDirectMessages(
      dmConversation('1-2', [
        messageCreate({
          id: '10',
          senderId: '2',
          recipientId: '1',
          time: at(0),
          text: 'https://t.co/abc',
          mediaUrls: ['https://video.twimg.com/dm_video/10/vid/clip.mp4'],
        }),
      ]),
      context,
    );
    expect(conversation?.messages[0]).toMatchObject({
      type: 'media',
      text: '',
      attachments: [{ type: 'video', name: 'clip.mp4' }],
    });
  });

  it('marks edited messages, types unknown events as system lines and skips repeated ids', () => {
    const edited = messageCreate({
      id: '11',
      senderId: '1',
      recipientId: '2',
      time: at(1),
      text: 'fixed',
    }) as {
      messageCreate: Record<string, unknown>;
    };
    edited.messageCreate.editHistory = [{ text: 'fxied' }];
    const { conversation, problems } = convertDirectMessages(
      dmConversation('1-2', [
        edited,
        messageCreate({ id: '11', senderId: '1', recipientId: '2', time: at(1), text: 'fixed' }),
        { welcomeMessageCreate: { createdAt: at(0) } },
        { messageCreate: { id: '12', senderId: '2', createdAt: at(3), text: '', mediaUrls: [] } },
      ]),
      context,
    );
    expect(conversation?.messages).toEqual([
      {
        id: `welcomeMessageCreate-${Date.parse(at(0))}`,
        senderId: null,
        time: at(0),
        type: 'system',
        text: '',
      },
      { id: '11', senderId: '1', time: at(1), type: 'text', text: 'fixed', edited: true },
    ]);
    expect(problems).toEqual(['message 12 of conversation 1-2 has no text and no media']);
  });

  it('marks nobody as self when the owner is unknown', () => {
    const { conversation } = convertDirectMessages(
      dmConversation('5-6', [
        messageCreate({ id: '1', senderId: '5', recipientId: '6', time: at(0), text: 'x' }),
      ]),
      { ...context, owner: {} },
    );
    expect(conversation?.participants.map((participant) => participant.self)).toEqual([
      false,
      false,
    ]);
  });

  it('refuses items that are not conversations', () => {
    expect(convertDirectMessages({ dmConversation: {} }, context)).toEqual({
      problems: ['an item is not a dmConversation with a conversationId'],
    });
  });
});
