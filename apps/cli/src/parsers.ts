import {
  createConversationJsonlParser,
  createParserRegistry,
  type ParserRegistry,
} from '@alterego/core';
import { createIMessageParser, imessageTxt } from '@alterego/parser-imessage';
import { discord } from '@alterego/parser-discord';
import { messenger } from '@alterego/parser-messenger';
import { telegram } from '@alterego/parser-telegram';
import { twitter } from '@alterego/parser-twitter';
import { createWhatsAppParser } from '@alterego/parser-whatsapp';

export interface RegistryOptions {
  /** WhatsApp: day/month (`true`) or month/day (`false`); inferred when undefined. */
  dayFirst?: boolean;
  /** iMessage: a vCard or CSV file that names phone numbers and e-mail addresses. */
  contacts?: string;
}

/** Every format the CLI reads. New parser packages plug in here. */
export function createRegistry(options: RegistryOptions = {}): ParserRegistry {
  return createParserRegistry([
    createWhatsAppParser({ dayFirst: options.dayFirst }),
    createIMessageParser({ contacts: options.contacts }),
    imessageTxt,
    messenger,
    twitter,
    telegram,
    discord,
    createConversationJsonlParser(),
  ]);
}
