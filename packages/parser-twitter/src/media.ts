import { posix } from 'node:path';
import type { Attachment } from '@alterego/core';

/** Attachment types of tweet media. */
const MEDIA_TYPES: Readonly<Record<string, Attachment['type']>> = {
  photo: 'image',
  video: 'video',
  animated_gif: 'gif',
};

/** The last path segment of a URL, without its query or fragment. */
export function urlFileName(url: string): string {
  const path = url.replace(/[?#].*$/, '');
  return posix.basename(path);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Video variants, best first: the highest bitrate, mp4 before streaming playlists. */
function variantUrls(media: Record<string, unknown>): string[] {
  const variants = (media.video_info as { variants?: unknown } | undefined)?.variants;
  if (!Array.isArray(variants)) return [];
  return variants
    .filter(
      (variant): variant is Record<string, unknown> =>
        typeof variant === 'object' && variant !== null,
    )
    .map((variant) => ({
      url: text(variant.url),
      bitrate: Number(variant.bitrate ?? -1),
      mp4: variant.content_type === 'video/mp4',
    }))
    .filter(
      (variant): variant is { url: string; bitrate: number; mp4: boolean } =>
        variant.url !== undefined,
    )
    .sort((a, b) => Number(b.mp4) - Number(a.mp4) || b.bitrate - a.bitrate)
    .map((variant) => variant.url);
}

/**
 * The attachments of a tweet's media (`extended_entities.media`, which lists every photo, or
 * `entities.media`): photos as images, videos, animated GIFs as gifs. The uri is the file in the
 * archive's media folder (`<tweet id>-<file name>`) where it is there, the URL otherwise.
 */
export function tweetMediaAttachments(
  media: readonly unknown[],
  tweetId: string,
  localFiles: ReadonlyMap<string, string> | undefined,
): Attachment[] {
  const attachments: Attachment[] = [];
  const seen = new Set<string>();
  for (const item of media) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    const key = text(record.id_str) ?? text(record.media_url_https) ?? text(record.media_url);
    if (key !== undefined) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const type = MEDIA_TYPES[String(record.type)] ?? 'file';
    const imageUrl = text(record.media_url_https) ?? text(record.media_url);
    const remote = type === 'image' ? [imageUrl] : [...variantUrls(record), imageUrl];
    const urls = remote.filter((url): url is string => url !== undefined);
    let uri: string | undefined;
    let name: string | undefined;
    for (const url of urls) {
      const local = localFiles?.get(`${tweetId}-${urlFileName(url)}`);
      if (local !== undefined) {
        uri = local;
        name = urlFileName(url);
        break;
      }
    }
    if (uri === undefined && urls.length > 0) {
      uri = urls[0]!;
      name = urlFileName(uri);
    }
    const attachment: Attachment = { type };
    if (name) attachment.name = name;
    if (uri) attachment.uri = uri;
    attachments.push(attachment);
  }
  return attachments;
}

/** The attachment type of a direct message's media URL, from its path. */
export function messageMediaType(url: string): Attachment['type'] {
  if (/\/dm_gif\//.test(url)) return 'gif';
  const extension = posix.extname(urlFileName(url)).toLowerCase();
  if (['.jpg', '.jpeg', '.png', '.webp', '.gif'].includes(extension)) return 'image';
  if (['.mp4', '.mov', '.m3u8'].includes(extension)) return 'video';
  if (['.mp3', '.m4a', '.aac', '.ogg', '.opus'].includes(extension)) return 'audio';
  return 'file';
}

/**
 * The attachments of a direct message's `mediaUrls`; the uri is the archive's copy
 * (`<message id>-<file name>` in the media folder) where it is there.
 */
export function messageMediaAttachments(
  urls: readonly unknown[],
  messageId: string,
  localFiles: ReadonlyMap<string, string> | undefined,
): Attachment[] {
  const attachments: Attachment[] = [];
  for (const url of urls) {
    if (typeof url !== 'string' || url === '') continue;
    const name = urlFileName(url);
    const local = localFiles?.get(`${messageId}-${name}`);
    attachments.push({ type: messageMediaType(url), name, uri: local ?? url });
  }
  return attachments;
}
