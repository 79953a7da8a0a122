import {
  createConversationJsonlParser,
  createParserRegistry,
  type ParserRegistry,
} from '@alterego/core';
import { createWhatsAppParser } from '@alterego/parser-whatsapp';

/** Every format the CLI reads. New parser packages plug in here. */
export function createRegistry(options: { dayFirst?: boolean } = {}): ParserRegistry {
  return createParserRegistry([
    createWhatsAppParser({ dayFirst: options.dayFirst }),
    createConversationJsonlParser(),
  ]);
}
