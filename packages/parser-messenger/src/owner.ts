import type { InputEntry } from '@alterego/core';
import { list, record, text } from './fields.js';
import type { ThreadFiles } from './layout.js';

const OWNER_FILE_LIMIT = 4 * 1024 * 1024;

/**
 * The names (and Instagram user names) of the person who made the download, from
 * `profile_information.json` (Facebook), `autofill_information.json` (Messenger) or
 * `personal_information.json` (Instagram). Unreadable files are passed over.
 */
export async function readOwnerNames(entries: readonly InputEntry[]): Promise<string[]> {
  const names: string[] = [];
  for (const entry of entries) {
    let value: unknown;
    try {
      value = JSON.parse(await entry.readText(OWNER_FILE_LIMIT));
    } catch {
      continue;
    }
    const root = record(value);
    if (!root) continue;
    const profile = record(root.profile_v2) ?? record(root.profile);
    const profileName = record(profile?.name);
    names.push(text(profileName?.full_name));
    const autofill = record(root.autofill_information_v2) ?? record(root.autofill_information);
    if (autofill) {
      names.push(text(list(autofill.FULL_NAME)[0]));
      const first = text(list(autofill.FIRST_NAME)[0]);
      const last = text(list(autofill.LAST_NAME)[0]);
      if (first && last) names.push(`${first} ${last}`);
    }
    for (const user of list(root.profile_user)) {
      const data = record(record(user)?.string_map_data);
      names.push(text(record(data?.Name)?.value), text(record(data?.Username)?.value));
    }
  }
  return [...new Set(names.filter(Boolean))];
}

const JSON_PARTICIPANTS = /"participants"\s*:\s*(\[[^\]]*\])/;
const HTML_PARTICIPANTS = /(?:Participants|Teilnehmer|Participantes|Partecipanti)\s*:\s*([^<]+)</i;

/** The participants a thread file names near its start, without reading the whole file. */
export function peekParticipants(head: string): string[] | undefined {
  const json = JSON_PARTICIPANTS.exec(head);
  if (json) {
    try {
      return list(JSON.parse(json[1]!))
        .map((item) => text(typeof item === 'string' ? item : record(item)?.name))
        .filter(Boolean);
    } catch {
      return undefined;
    }
  }
  const html = HTML_PARTICIPANTS.exec(head);
  if (html) {
    return html[1]!
      .split(/\s*,\s*/)
      .map((name) => text(name.trim()))
      .filter(Boolean);
  }
  return undefined;
}

/**
 * The person present in every thread, which in a personal download is the person who made it.
 * Undefined unless there are at least two threads and exactly one name is in all of them.
 */
export async function ownerFromThreads(
  threads: readonly ThreadFiles[],
): Promise<string | undefined> {
  if (threads.length < 2) return undefined;
  let common: Map<string, string> | undefined;
  for (const thread of threads) {
    // The newest page lists the current participants.
    const file = thread.files[thread.files.length - 1];
    if (!file) continue;
    const names = peekParticipants((await file.entry.readHead(16 * 1024)).toString('utf8'));
    if (!names) continue;
    const here = new Map(names.map((name) => [name.toLocaleLowerCase('und'), name] as const));
    if (common === undefined) {
      common = here;
    } else {
      for (const key of common.keys()) if (!here.has(key)) common.delete(key);
    }
    if (common.size === 0) return undefined;
  }
  return common?.size === 1 ? [...common.values()][0] : undefined;
}
