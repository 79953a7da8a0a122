import { zonedTimeToInstant, type Attachment } from '@alterego/core';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import type { DraftPage, DraftReaction } from './draft.js';
import { reactionEmoji, text } from './fields.js';
import { parseHtmlDate } from './html-date.js';
import {
  attachmentTypeOf,
  fileAttachment,
  typeMessage,
  type MessageParts,
} from './message-kind.js';
import { createPersonCheck } from './people.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** "Participants: A, B" in the export's language. */
const PARTICIPANTS =
  /^(?:Participants|Teilnehmer(?:innen)?|Participantes|Partecipanti|Participantes)\s*:\s*(.+)$/isu;

/** Quick check on the head of an `.html` file: does it look like a thread page? */
export function looksLikeHtmlThread(head: string): boolean {
  return (
    /<html/i.test(head) && /(?:Participants|Teilnehmer|Participantes|Partecipanti)\s*:/i.test(head)
  );
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function childElements(element: Element): Element[] {
  return element.childNodes.filter(isElement);
}

function hasOwnText(element: Element): boolean {
  return element.childNodes.some(
    (node) => node.nodeName === '#text' && 'value' in node && node.value.trim() !== '',
  );
}

/** Text of a subtree, one line per text node, without `<li>` items (reactions) and scripts. */
function textLines(node: Node, out: string[] = []): string[] {
  if (node.nodeName === '#text' && 'value' in node) {
    const value = node.value.replace(/\s+/g, ' ').trim();
    if (value) out.push(value);
    return out;
  }
  if (isElement(node)) {
    if (node.tagName === 'li' || node.tagName === 'script' || node.tagName === 'style') return out;
    // A link to a file of the export is an attachment; its text is only the file's name.
    if (node.tagName === 'a' && !/^https?:\/\//i.test(attribute(node, 'href') ?? 'https://'))
      return out;
    for (const child of node.childNodes) textLines(child, out);
  }
  return out;
}

function fullText(node: Node): string {
  return textLines(node).join(' ');
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

function walk(node: Node, visit: (element: Element) => boolean | void): void {
  if (!isElement(node) && !('childNodes' in node)) return;
  if (isElement(node) && visit(node) === false) return;
  for (const child of (node as Element).childNodes) walk(child, visit);
}

function mediaOf(nodes: readonly Element[]): Attachment[] {
  const seen = new Set<string>();
  const found: Attachment[] = [];
  const add = (attachment: Attachment) => {
    const key = attachment.uri ?? '';
    if (key && seen.has(key)) return;
    seen.add(key);
    found.push(attachment);
  };
  for (const root of nodes) {
    walk(root, (element) => {
      const src = attribute(element, 'src');
      switch (element.tagName) {
        case 'img':
          if (src) add(fileAttachment(/\.gif$/i.test(src) ? 'gif' : 'image', src));
          break;
        case 'video':
          if (src) add(fileAttachment('video', src));
          break;
        case 'audio':
          if (src) add(fileAttachment('audio', src));
          break;
        case 'source':
          if (src) add(fileAttachment(attachmentTypeOf(src), src));
          break;
        case 'a': {
          const href = attribute(element, 'href');
          if (!href || href.startsWith('#')) break;
          if (/^https?:\/\//i.test(href)) add({ type: 'link', uri: href });
          else add(fileAttachment(attachmentTypeOf(href), href));
          break;
        }
      }
    });
  }
  return found;
}

function reactionsOf(nodes: readonly Element[]): DraftReaction[] {
  const found: DraftReaction[] = [];
  for (const root of nodes) {
    walk(root, (element) => {
      if (element.tagName !== 'li') return;
      const value = element.childNodes
        .map((child) => fullTextAll(child))
        .join('')
        .trim();
      const match = /^([^\p{L}\p{N}]+?)\s*(\p{L}.*)$/u.exec(value);
      if (match) found.push({ emoji: reactionEmoji(text(match[1])), actor: text(match[2]) });
      return false;
    });
  }
  return found.filter((reaction) => reaction.emoji !== '' && reaction.actor !== '');
}

function fullTextAll(node: Node): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  return isElement(node) ? node.childNodes.map(fullTextAll).join('') : '';
}

/**
 * Reads a thread page of Facebook's HTML export. Its markup has changed over the years, so
 * nothing depends on class names: a message is an element whose children are the sender, the
 * body (text, media, a reaction list) and, last, a date line. Dates carry no zone; they are read
 * in `timeZone`.
 */
export function readHtmlPage(html: string, timeZone: string): DraftPage {
  const document = parse(html);
  let title: string | null = null;
  let participants: string[] = [];
  const candidates: { sender: string; body: Element[]; date: string }[] = [];
  walk(document as unknown as Node, (element) => {
    if (element.tagName === 'title' && title === null) {
      title = text(fullText(element)) || null;
      return false;
    }
    if (participants.length === 0) {
      for (const node of element.childNodes) {
        if (node.nodeName !== '#text' || !('value' in node)) continue;
        const match = PARTICIPANTS.exec(node.value.trim());
        if (!match) continue;
        participants = match[1]!
          .split(/\s*,\s*|\s+(?:and|und|et|y|e)\s+/u)
          .map((name) => text(name.trim()))
          .filter(Boolean);
        return false;
      }
    }
    const children = childElements(element);
    if (children.length < 2 || hasOwnText(element)) return;
    const last = children[children.length - 1]!;
    const date = fullText(last);
    if (date.length > 60 || parseHtmlDate(date) === undefined) return;
    const sender = fullText(children[0]!);
    if (!sender || parseHtmlDate(sender) !== undefined) return;
    candidates.push({ sender, body: children.slice(1, -1), date });
    return false;
  });
  const senders = new Set(participants);
  for (const candidate of candidates) senders.add(text(candidate.sender));
  const isPerson = createPersonCheck(senders);
  const page: DraftPage = {
    title,
    participants,
    group: participants.length > 2,
    messages: [],
    skipped: 0,
  };
  for (const candidate of candidates) {
    const wall = parseHtmlDate(candidate.date)!;
    const parts: MessageParts = {
      sender: text(candidate.sender) || null,
      time: zonedTimeToInstant(wall, timeZone),
      content: text(candidate.body.flatMap((node) => textLines(node)).join('\n')),
      attachments: mediaOf(candidate.body),
      reactions: reactionsOf(candidate.body),
    };
    page.messages.push(typeMessage(parts, isPerson));
  }
  return page;
}
