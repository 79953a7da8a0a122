import type { InputEntry, InputSource, Platform } from '@alterego/core';
import { looksLikeHtmlThread } from './html-thread.js';

/** The folders of a `messages/` root that hold threads. */
export const SECTIONS = [
  'inbox',
  'archived_threads',
  'filtered_threads',
  'message_requests',
  'e2ee_cutover',
] as const;

/** JSON files in a messages root that are settings, not threads (never read). */
const NOT_THREADS = new Set([
  'autofill_information.json',
  'chat_invites_received.json',
  'community_chats_settings.json',
  'encrypted_messaging_backup_settings.json',
  'information_about_your_devices.json',
  'messaging_settings.json',
  'messenger_active_status_platform_settings.json',
  'messenger_active_status_settings.json',
  'messenger_ui_settings.json',
  'secret_conversations.json',
  'support_messages.json',
  'your_chat_settings_on_web.json',
  'your_end-to-end_encryption_enabled_messenger_device.json',
  'your_messenger_app_install_information.json',
  'your_responsiveness_in_messaging_threads.json',
  'profile_information.json',
  'personal_information.json',
]);

/** Files that say who made the export. */
export const OWNER_FILES = new Set([
  'profile_information.json',
  'autofill_information.json',
  'personal_information.json',
]);

const PAGE = /^message_(\d+)\.(json|html?)$/i;

/** How a thread file is written. */
export type ThreadFileKind = 'json' | 'e2ee' | 'html';

export interface ThreadFile {
  entry: InputEntry;
  kind: ThreadFileKind;
  /** N of `message_N`; 1 for files that are a whole thread. */
  page: number;
}

/** The files of one thread, gathered from every part of a download. */
export interface ThreadFiles {
  /** Groups files of the same thread: platform and thread folder (or file) name. */
  key: string;
  platform: Platform;
  /** The thread folder (`alice_ABC123`) or, for a file that is a whole thread, its name without extension. */
  name: string;
  /** True when the thread's folder name is not known from the path (read `thread_path`). */
  nameFromFile: boolean;
  /** The messages section (`inbox`, ...), where the path says. */
  section?: string;
  files: ThreadFile[];
}

export interface Discovery {
  threads: ThreadFiles[];
  ownerFiles: InputEntry[];
}

/** How much of a JSON or HTML file is read to tell whether it is a thread. */
export const PROBE_BYTES = 64 * 1024;

function platformOf(segments: readonly string[], forced: Platform | undefined): Platform {
  if (forced) return forced;
  return segments.some((segment) => segment === 'your_instagram_activity')
    ? 'instagram'
    : 'messenger';
}

/** Index of a section folder right after a `messages` folder, or -1. */
function sectionIndex(segments: readonly string[]): number {
  for (let index = 1; index < segments.length; index += 1) {
    if (
      segments[index - 1] === 'messages' &&
      (SECTIONS as readonly string[]).includes(segments[index]!)
    ) {
      return index;
    }
  }
  return -1;
}

/** What the head of a JSON file says it is: a classic thread, an E2EE thread, or neither. */
export function probeJson(head: string): 'json' | 'e2ee' | undefined {
  if (!/"messages"\s*:/.test(head) || !/"participants"\s*:/.test(head)) return undefined;
  if (/"(?:senderName|threadName)"\s*:/.test(head) || /"participants"\s*:\s*\[\s*"/.test(head))
    return 'e2ee';
  if (/"(?:sender_name|timestamp_ms|thread_path)"\s*:/.test(head)) return 'json';
  return undefined;
}

function stem(name: string): string {
  return name.replace(/\.[^.]+$/, '');
}

/**
 * Finds the thread files of a download (zip, folder, several part zips, or one file) from
 * entry names, reading only the heads of JSON and HTML files whose names do not say: media
 * files are never opened. Threads whose pages lie in different parts are gathered into one.
 */
export async function discoverThreads(
  input: InputSource,
  options: { platform?: Platform } = {},
): Promise<Discovery> {
  const threads = new Map<string, ThreadFiles>();
  const ownerFiles: InputEntry[] = [];
  const add = (key: string, base: Omit<ThreadFiles, 'files' | 'key'>, file: ThreadFile) => {
    let thread = threads.get(key);
    if (!thread) {
      thread = { key, ...base, files: [] };
      threads.set(key, thread);
    }
    thread.files.push(file);
  };
  for (const entry of await input.entries()) {
    const lower = entry.name.toLowerCase();
    const isJson = lower.endsWith('.json');
    const isHtml = lower.endsWith('.html') || lower.endsWith('.htm');
    if (!isJson && !isHtml) continue;
    if (OWNER_FILES.has(lower)) {
      ownerFiles.push(entry);
      continue;
    }
    const segments = entry.path.split('/');
    const platform = platformOf(segments, options.platform);
    const page = PAGE.exec(entry.name);
    const section = sectionIndex(segments);
    if (page) {
      const kind: ThreadFileKind = isJson ? 'json' : 'html';
      const inFolder = segments.length >= 2;
      const name = inFolder ? segments[segments.length - 2]! : stem(entry.name);
      const key = inFolder ? `${platform}:${name}` : `${platform}:file:${entry.path}`;
      add(
        key,
        {
          platform,
          name,
          nameFromFile: !inFolder,
          ...(section !== -1 ? { section: segments[section]! } : {}),
        },
        { entry, kind, page: Number(page[1]) },
      );
      continue;
    }
    // Files below a thread folder (attachments someone sent) are never threads.
    if (section !== -1 && segments.length > section + 2) continue;
    if (NOT_THREADS.has(lower) || entry.size === 0) continue;
    const head = (await entry.readHead(isJson ? PROBE_BYTES : 8192)).toString('utf8');
    if (isJson) {
      const kind = probeJson(head);
      if (!kind) continue;
      const name = stem(entry.name);
      const key = kind === 'e2ee' ? `${platform}:e2ee:${name}` : `${platform}:file:${entry.path}`;
      add(key, { platform, name, nameFromFile: kind === 'json' }, { entry, kind, page: 1 });
    } else if (looksLikeHtmlThread(head)) {
      const name = stem(entry.name);
      add(
        `${platform}:html:${entry.path}`,
        { platform, name, nameFromFile: false },
        {
          entry,
          kind: 'html',
          page: 1,
        },
      );
    }
  }
  for (const thread of threads.values()) {
    // A thread written both as JSON and as HTML is read from its JSON.
    if (thread.files.some((file) => file.kind !== 'html'))
      thread.files = thread.files.filter((file) => file.kind !== 'html');
    // Oldest page first: message_1 holds the newest messages.
    thread.files.sort((a, b) => b.page - a.page || (a.entry.path < b.entry.path ? -1 : 1));
  }
  return { threads: [...threads.values()], ownerFiles };
}
