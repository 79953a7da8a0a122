import { describe, expect, it } from 'vitest';
import {
  messageMediaAttachments,
  messageMediaType,
  tweetMediaAttachments,
  urlFileName,
} from './media.js';

describe('urlFileName', () => {
  it('takes the last segment without query or fragment', () => {
    expect(urlFileName('https://video.twimg.com/a/b/clip.mp4?tag=12#t')).toBe('clip.mp4');
  });
});

describe('tweetMediaAttachments', () => {
  it('types photos, videos and animated GIFs and prefers the archive’s copy', () => {
    const attachments = tweetMediaAttachments(
      [
        { id_str: '1', type: 'photo', media_url_https: 'https://pbs.twimg.com/media/A.jpg' },
        { id_str: '1', type: 'photo', media_url_https: 'https://pbs.twimg.com/media/A.jpg' },
        {
          id_str: '2',
          type: 'animated_gif',
          media_url_https: 'https://pbs.twimg.com/tweet_video_thumb/G.jpg',
          video_info: {
            variants: [
              {
                bitrate: '0',
                content_type: 'video/mp4',
                url: 'https://video.twimg.com/tweet_video/G.mp4',
              },
            ],
          },
        },
        { id_str: '3', type: 'hologram' },
        'junk',
      ],
      '99',
      new Map([['99-G.mp4', 'data/tweets_media/99-G.mp4']]),
    );
    expect(attachments).toEqual([
      { type: 'image', name: 'A.jpg', uri: 'https://pbs.twimg.com/media/A.jpg' },
      { type: 'gif', name: 'G.mp4', uri: 'data/tweets_media/99-G.mp4' },
      { type: 'file' },
    ]);
  });
});

describe('direct message media', () => {
  it('types media by their path', () => {
    expect(messageMediaType('https://ton.twitter.com/dm/1/2/a.jpg')).toBe('image');
    expect(messageMediaType('https://video.twimg.com/dm_video/1/vid/a.mp4?tag=1')).toBe('video');
    expect(messageMediaType('https://video.twimg.com/dm_gif/1/a.mp4')).toBe('gif');
    expect(messageMediaType('https://ton.twitter.com/dm/1/2/voice.m4a')).toBe('audio');
    expect(messageMediaType('https://ton.twitter.com/dm/1/2/doc')).toBe('file');
  });

  it('points at the archive’s copy where there is one', () => {
    expect(
      messageMediaAttachments(
        ['https://ton.twitter.com/dm/7/8/a.jpg', 'https://ton.twitter.com/dm/7/9/b.png', 3],
        '7',
        new Map([['7-a.jpg', 'data/direct_messages_media/7-a.jpg']]),
      ),
    ).toEqual([
      { type: 'image', name: 'a.jpg', uri: 'data/direct_messages_media/7-a.jpg' },
      { type: 'image', name: 'b.png', uri: 'https://ton.twitter.com/dm/7/9/b.png' },
    ]);
  });
});
