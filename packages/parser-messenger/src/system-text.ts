/**
 * The texts Facebook and Instagram write into `content` for things that are not words a person
 * typed: attachment placeholders, reactions, unsent messages, calls, group events and notices.
 * New exports carry no machine-readable type for them and write them in the language of the
 * account, so they are recognised here, table-driven, in English, German, French, Spanish,
 * Portuguese and Italian.
 */

/** What a system text stands for. */
export type SystemTextKind =
  | 'attachment'
  | 'image'
  | 'video'
  | 'audio'
  | 'gif'
  | 'sticker'
  | 'file'
  | 'link'
  | 'location'
  | 'reaction'
  | 'unsent'
  | 'call'
  | 'group'
  | 'notice'
  | 'poll';

/** A recognised system text. */
export interface SystemText {
  kind: SystemTextKind;
  /** The reaction's emoji, for `reaction`. */
  emoji?: string;
  /** The person named at the start ("Alex sent an attachment."), when the text names one. */
  actor?: string;
  /** The language of the rule that matched. */
  language: Language;
}

export type Language = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'it';

interface Rule {
  kind: SystemTextKind;
  language: Language;
  /** Named groups: `actor` (a person's name, checked against the thread) and `emoji`. */
  pattern: RegExp;
}

/** A person's name at the start of a system text; checked against the thread's people. */
const A = '(?<actor>.+?)';
/** The same, where a conjugated verb can stand without a name ("Enviaste un archivo adjunto."). */
const OA = '(?:(?<actor>.+?) )?';
const E = '(?<emoji>.+?)';

function rules(language: Language, table: Partial<Record<SystemTextKind, string[]>>): Rule[] {
  return Object.entries(table).flatMap(([kind, sources]) =>
    sources!.map((source) => ({
      kind: kind as SystemTextKind,
      language,
      pattern: new RegExp(`^${source}$`, 'iu'),
    })),
  );
}

const RULES: readonly Rule[] = [
  ...rules('en', {
    attachment: [`${A} sent an attachment\\.`],
    image: [`${A} sent (?:a photo|\\d+ photos)\\.`],
    video: [`${A} sent (?:a video|\\d+ videos)\\.`],
    audio: [`${A} sent (?:a voice message|an audio clip|a voice clip)\\.`],
    gif: [`${A} sent (?:a GIF|\\d+ GIFs)\\.`],
    sticker: [`${A} sent a sticker\\.`],
    file: [`${A} sent (?:a file|\\d+ files)\\.`],
    link: [`${A} sent a link\\.`, `${A} shared a link\\.`],
    location: [
      `${A} sent (?:a|your|their|his|her) (?:live )?location\\.`,
      `${A} (?:is sharing|shared) (?:a|your|their|his|her) (?:live )?location\\.?`,
    ],
    reaction: [
      `Reacted ${E} to your message ?`,
      `${A} reacted ${E} to your message ?`,
      `Liked a message`,
      `${A} liked a message\\.?`,
    ],
    unsent: [`${A} unsent a message\\.?`, `${A} removed a message\\.?`],
    call: [
      `${A} missed (?:your|a) (?:video |audio )?call\\.?`,
      `${A} missed (?:a |your )?(?:video |audio )?call (?:from|with) .+\\.?`,
      `You called .+\\.`,
      `${A} called you\\.`,
      `The (?:video |audio )?call ended\\.`,
      `${A} started (?:a|the) (?:video |audio )?call\\.?`,
      `${A} joined the (?:video |audio )?call\\.?`,
      `${A} started sharing video\\.?`,
    ],
    group: [
      `${A} added .+ to the (?:group|chat)\\.?`,
      `${A} left the (?:group|chat|conversation)\\.?`,
      `${A} removed .+ from the (?:group|chat)\\.?`,
      `${A} named the (?:group|chat) .+\\.?`,
      `${A} changed the (?:group|chat) (?:name|photo|image) .*`,
      `${A} changed the (?:group|chat) (?:name|photo|image)\\.?`,
      `${A} removed the (?:group|chat) name\\.?`,
      `${A} created the group\\.?`,
      `${A} joined the group(?: via .+)?\\.?`,
      `${A} set (?:the|your|his|her|their) (?:own )?nickname (?:for .+ )?to .+`,
      `${A} set (?:his|her|their|your) own nickname to .+`,
      `${A} cleared (?:the|your|his|her|their) (?:own )?nickname.*`,
      `${A} changed the (?:chat )?theme(?: to .+)?\\.?`,
      `${A} set the (?:quick reaction|emoji) to .+`,
      `${A} changed the (?:quick reaction|emoji) to .+`,
      `${A} pinned a message\\.?`,
      `${A} unpinned a message\\.?`,
      `${A} made .+ an admin\\.?`,
      `${A} (?:is )?no longer an admin\\.?`,
      `${A} turned (?:on|off) disappearing messages.*`,
    ],
    notice: [
      `You are now connected on Messenger\\.?`,
      `Say hi to your new Facebook friend,? .+\\.?`,
      `${A} waved at (?:you|.+)[.!]?`,
      `You waved at .+[.!]?`,
      `Messages and calls are secured with end-to-end encryption.*`,
      `${A} (?:accepted|started) (?:your|a) message request\\.?`,
    ],
    poll: [
      `${A} created (?:a|the) poll:? .+`,
      `${A} voted for .+ in the poll.*`,
      `${A} changed (?:their|his|her|your) vote to .+`,
    ],
  }),
  ...rules('de', {
    attachment: [`${A} ha(?:t|st) einen Anhang (?:gesendet|geschickt)\\.`],
    image: [`${A} ha(?:t|st) (?:ein Foto|\\d+ Fotos) (?:gesendet|geschickt)\\.`],
    video: [`${A} ha(?:t|st) (?:ein Video|\\d+ Videos) (?:gesendet|geschickt)\\.`],
    audio: [`${A} ha(?:t|st) eine Sprachnachricht (?:gesendet|geschickt)\\.`],
    gif: [`${A} ha(?:t|st) (?:ein GIF|\\d+ GIFs) (?:gesendet|geschickt)\\.`],
    sticker: [`${A} ha(?:t|st) einen Sticker (?:gesendet|geschickt)\\.`],
    link: [`${A} ha(?:t|st) einen Link (?:gesendet|geschickt|geteilt)\\.`],
    location: [
      `${A} ha(?:t|st) (?:einen|deinen|seinen|ihren) (?:Live-)?Standort (?:gesendet|geteilt)\\.`,
    ],
    reaction: [
      `Hat mit ${E} auf deine Nachricht reagiert ?`,
      `Reagierte mit ${E} auf deine Nachricht ?`,
      `${A} hat mit ${E} auf deine Nachricht reagiert ?`,
    ],
    unsent: [`${A} ha(?:t|st) eine Nachricht (?:zurückgenommen|entfernt|zurückgezogen)\\.?`],
    call: [
      `${A} hat deinen (?:Video-?)?Anruf verpasst\\.?`,
      `Du hast .+ angerufen\\.`,
      `${A} hat dich angerufen\\.`,
      `Der (?:Video-?)?(?:Anruf|Videochat) wurde beendet\\.`,
      `Der (?:Video-?)?(?:Anruf|Videochat) ist beendet\\.`,
      `${A} ha(?:t|st) einen (?:Video-?)?(?:Anruf|Videochat) gestartet\\.?`,
    ],
    group: [
      `${A} ha(?:t|st) .+ zur Gruppe hinzugefügt\\.?`,
      `${A} ha(?:t|st) die Gruppe verlassen\\.?`,
      `${A} ha(?:t|st) .+ aus der Gruppe entfernt\\.?`,
      `${A} ha(?:t|st) die Gruppe .+ genannt\\.?`,
      `${A} ha(?:t|st) den Gruppennamen .+`,
      `${A} ha(?:t|st) das Gruppenfoto geändert\\.?`,
      `${A} ha(?:t|st) den Spitznamen .+`,
      `${A} ha(?:t|st) das (?:Chat-)?Design .+`,
      `${A} ha(?:t|st) (?:die Schnellreaktion|das Emoji) .+`,
      `${A} ha(?:t|st) eine Nachricht angepinnt\\.?`,
    ],
    notice: [
      `Ihr seid jetzt (?:auf|im) Messenger verbunden\\.?`,
      `${A} ha(?:t|st) (?:dir|.+) zugewinkt[.!]?`,
    ],
    poll: [`${A} ha(?:t|st) eine Umfrage erstellt.*`],
  }),
  ...rules('fr', {
    attachment: [`${A} a(?:vez)? envoyé une pièce jointe\\.`],
    image: [`${A} a(?:vez)? envoyé (?:une photo|\\d+ photos)\\.`],
    video: [`${A} a(?:vez)? envoyé (?:une vidéo|\\d+ vidéos)\\.`],
    audio: [`${A} a(?:vez)? envoyé un message vocal\\.`],
    gif: [`${A} a(?:vez)? envoyé (?:un GIF|\\d+ GIF)\\.`],
    sticker: [`${A} a(?:vez)? envoyé un autocollant\\.`, `${A} a(?:vez)? envoyé un sticker\\.`],
    link: [`${A} a(?:vez)? envoyé un lien\\.`],
    location: [`${A} a(?:vez)? (?:envoyé|partagé) (?:une|sa|votre) position(?: en direct)?\\.`],
    reaction: [
      `A réagi (?:par |avec )?${E} (?:à|a) votre message ?`,
      `${A} a réagi (?:par |avec )?${E} (?:à|a) votre message ?`,
    ],
    unsent: [
      `${A} a(?:vez)? retiré un message\\.?`,
      `${A} a(?:vez)? annulé l[’']envoi d[’']un message\\.?`,
    ],
    call: [
      `${A} a manqué votre appel(?: vidéo)?\\.?`,
      `Vous avez appelé .+\\.`,
      `${A} vous a appelé(?:e)?\\.`,
      `L[’']appel(?: vidéo)? est terminé\\.`,
      `L[’']appel(?: vidéo)? a pris fin\\.`,
      `${A} a lancé un appel(?: vidéo)?\\.?`,
    ],
    group: [
      `${A} a(?:vez)? ajouté .+ au groupe\\.?`,
      `${A} a(?:vez)? quitté le groupe\\.?`,
      `${A} a(?:vez)? retiré .+ du groupe\\.?`,
      `${A} a(?:vez)? nommé le groupe .+`,
      `${A} a(?:vez)? modifié le nom du groupe.*`,
      `${A} a(?:vez)? (?:changé|modifié) la photo du groupe\\.?`,
      `${A} a(?:vez)? (?:défini|modifié|changé) (?:le|son|votre) (?:pseudo|surnom) .+`,
      `${A} a(?:vez)? (?:changé|modifié) le thème.*`,
      `${A} a(?:vez)? épinglé un message\\.?`,
    ],
    notice: [`Vous êtes maintenant connectés sur Messenger\\.?`, `${A} vous a fait signe[.!]?`],
    poll: [`${A} a(?:vez)? créé un sondage.*`],
  }),
  ...rules('es', {
    attachment: [`${OA}(?:envió|enviaste) un archivo adjunto\\.`],
    image: [`${OA}(?:envió|enviaste) (?:una foto|\\d+ fotos)\\.`],
    video: [`${OA}(?:envió|enviaste) (?:un video|un vídeo|\\d+ videos|\\d+ vídeos)\\.`],
    audio: [`${OA}(?:envió|enviaste) un mensaje de voz\\.`],
    gif: [`${OA}(?:envió|enviaste) (?:un GIF|\\d+ GIF)\\.`],
    sticker: [`${OA}(?:envió|enviaste) un sticker\\.`],
    link: [`${OA}(?:envió|enviaste) un enlace\\.`],
    location: [
      `${OA}(?:envió|enviaste|compartió|compartiste) (?:una|su|tu) ubicación(?: en tiempo real)?\\.`,
    ],
    reaction: [
      `Reaccionó (?:con )?${E} a tu mensaje ?`,
      `${A} reaccionó (?:con )?${E} a tu mensaje ?`,
    ],
    unsent: [
      `${OA}anuló el envío de un mensaje\\.?`,
      `${OA}anulaste el envío de un mensaje\\.?`,
      `${OA}eliminó un mensaje\\.?`,
    ],
    call: [
      `${A} perdió tu (?:video)?llamada\\.?`,
      `Llamaste a .+\\.`,
      `${A} te llamó\\.`,
      `La (?:video)?llamada (?:finalizó|terminó)\\.`,
      `${A} inició una (?:video)?llamada\\.?`,
    ],
    group: [
      `${OA}(?:agregó|añadió|agregaste|añadiste) a .+ al grupo\\.?`,
      `${OA}(?:salió|saliste|abandonó) del grupo\\.?`,
      `${OA}(?:abandonó|abandonaste) el grupo\\.?`,
      `${OA}(?:eliminó|eliminaste) a .+ del grupo\\.?`,
      `${OA}(?:llamó|llamaste) al grupo .+`,
      `${OA}(?:cambió|cambiaste) (?:el nombre|la foto) del grupo.*`,
      `${OA}(?:estableció|estableciste|cambió|cambiaste) (?:el|su|tu) apodo .+`,
      `${OA}(?:cambió|cambiaste) el tema.*`,
      `${OA}(?:fijó|fijaste) un mensaje\\.?`,
    ],
    notice: [`Ahora están conectados en Messenger\\.?`, `${A} te saludó[.!]?`],
    poll: [`${OA}(?:creó|creaste) una encuesta.*`],
  }),
  ...rules('pt', {
    attachment: [`${OA}(?:enviou|enviaste) um anexo\\.`],
    image: [`${OA}(?:enviou|enviaste) (?:uma foto|uma fotografia|\\d+ fotos)\\.`],
    video: [`${OA}(?:enviou|enviaste) (?:um vídeo|\\d+ vídeos)\\.`],
    audio: [`${OA}(?:enviou|enviaste) uma mensagem de voz\\.`],
    gif: [`${OA}(?:enviou|enviaste) (?:um GIF|\\d+ GIFs)\\.`],
    sticker: [
      `${OA}(?:enviou|enviaste) uma figurinha\\.`,
      `${OA}(?:enviou|enviaste) um autocolante\\.`,
    ],
    link: [`${OA}(?:enviou|enviaste) um link\\.`],
    location: [
      `${OA}(?:enviou|enviaste|compartilhou|partilhou) (?:uma|sua|a sua|tua) localização(?: em tempo real)?\\.`,
    ],
    reaction: [
      `Reagiu (?:com )?${E} (?:à|a) (?:sua|tua) mensagem ?`,
      `${A} reagiu (?:com )?${E} (?:à|a) (?:sua|tua) mensagem ?`,
    ],
    unsent: [
      `${OA}(?:cancelou|cancelaste|anulou|anulaste) o envio de uma mensagem\\.?`,
      `${OA}(?:removeu|removeste) uma mensagem\\.?`,
    ],
    call: [
      `${A} perdeu (?:a )?(?:sua|tua) (?:chamada|ligação)(?: de vídeo)?\\.?`,
      `Você ligou para .+\\.`,
      `${A} ligou para você\\.`,
      `${A} te ligou\\.`,
      `A (?:chamada|ligação)(?: de vídeo)? (?:terminou|foi encerrada)\\.`,
      `${A} iniciou uma (?:chamada|ligação)(?: de vídeo)?\\.?`,
    ],
    group: [
      `${OA}(?:adicionou|adicionaste) .+ ao grupo\\.?`,
      `${OA}(?:saiu|saíste) do grupo\\.?`,
      `${OA}(?:removeu|removeste) .+ do grupo\\.?`,
      `${OA}(?:deu|deste) o nome .+ ao grupo\\.?`,
      `${OA}(?:nomeou|nomeaste) o grupo .+`,
      `${OA}(?:alterou|mudou|alteraste|mudaste) (?:o nome|a foto) do grupo.*`,
      `${OA}(?:definiu|definiste|alterou|alteraste) o (?:apelido|nome) .+`,
      `${OA}(?:alterou|mudou|alteraste|mudaste) o tema.*`,
      `${OA}(?:fixou|fixaste) uma mensagem\\.?`,
    ],
    notice: [
      `(?:Vocês|Agora vocês) (?:estão|já estão) conectados no Messenger\\.?`,
      `${A} acenou para você[.!]?`,
    ],
    poll: [`${OA}(?:criou|criaste) uma (?:enquete|sondagem).*`],
  }),
  ...rules('it', {
    attachment: [`${OA}(?:ha|hai) inviato un allegato\\.`],
    image: [`${OA}(?:ha|hai) inviato (?:una foto|\\d+ foto)\\.`],
    video: [`${OA}(?:ha|hai) inviato (?:un video|\\d+ video)\\.`],
    audio: [`${OA}(?:ha|hai) inviato un messaggio vocale\\.`],
    gif: [`${OA}(?:ha|hai) inviato (?:una GIF|una gif|\\d+ GIF)\\.`],
    sticker: [`${OA}(?:ha|hai) inviato un adesivo\\.`, `${OA}(?:ha|hai) inviato uno sticker\\.`],
    link: [`${OA}(?:ha|hai) inviato un link\\.`],
    location: [
      `${OA}(?:ha|hai) (?:inviato|condiviso) (?:una|la sua|la tua) posizione(?: in tempo reale)?\\.`,
    ],
    reaction: [
      `Ha reagito (?:con )?${E} al tuo messaggio ?`,
      `${A} ha reagito (?:con )?${E} al tuo messaggio ?`,
    ],
    unsent: [
      `${OA}(?:ha|hai) annullato l[’']invio di un messaggio\\.?`,
      `${OA}(?:ha|hai) rimosso un messaggio\\.?`,
    ],
    call: [
      `${A} ha perso la tua (?:video)?chiamata\\.?`,
      `Hai chiamato .+\\.`,
      `${A} ti ha chiamato\\.`,
      `La (?:video)?chiamata è terminata\\.`,
      `${OA}(?:ha|hai) avviato una (?:video)?chiamata\\.?`,
    ],
    group: [
      `${OA}(?:ha|hai) aggiunto .+ al gruppo\\.?`,
      `${OA}(?:ha|hai) abbandonato il gruppo\\.?`,
      `${OA}(?:è|sei) uscit[oa] dal gruppo\\.?`,
      `${OA}(?:ha|hai) rimosso .+ dal gruppo\\.?`,
      `${OA}(?:ha|hai) chiamato il gruppo .+`,
      `${OA}(?:ha|hai) (?:cambiato|modificato) (?:il nome|la foto) del gruppo.*`,
      `${OA}(?:ha|hai) impostato (?:il|il suo|il tuo) soprannome .+`,
      `${OA}(?:ha|hai) (?:cambiato|modificato) il tema.*`,
      `${OA}(?:ha|hai) fissato un messaggio\\.?`,
    ],
    notice: [`Ora siete collegati su Messenger\\.?`, `${A} ti ha salutato[.!]?`],
    poll: [`${OA}(?:ha|hai) creato un sondaggio.*`],
  }),
];

/** Words that stand for the reader in each language ("You sent an attachment."). */
const YOU = new Set([
  'you',
  'du',
  'sie',
  'vous',
  'tu',
  'tú',
  'usted',
  'você',
  'voce',
  'voi',
  'lei',
]);

/**
 * One search for any of `keywords` (regex sources), with the keywords grouped by their first
 * character (`s(?:ent …|ay hi|…)|e(?:acted|…)`): the engine then tries a handful of groups at
 * each position instead of every keyword.
 */
function keywordPattern(keywords: readonly string[]): RegExp {
  const groups = new Map<string, string[]>();
  const whole: string[] = [];
  for (const keyword of keywords) {
    // An escape (`\b`) is one atom of two characters; a keyword opening with any other
    // syntax, or whose first atom is quantified, is left whole.
    const head = keyword.startsWith('\\') ? keyword.slice(0, 2) : keyword.charAt(0);
    const rest = keyword.slice(head.length);
    if (
      head === '' ||
      (head.length === 1 && /[()[\]{}|.*+?^$]/.test(head)) ||
      /^[*+?{]/.test(rest)
    ) {
      whole.push(keyword);
      continue;
    }
    const group = groups.get(head) ?? [];
    group.push(rest);
    groups.set(head, group);
  }
  const sources = [...groups].map(([head, tails]) =>
    tails.length === 1 ? `${head}${tails[0]!}` : `${head}(?:${tails.join('|')})`,
  );
  return new RegExp([...sources, ...whole].join('|'));
}

/**
 * Words at least one of which every system text of the table holds. Most messages hold none,
 * so one search rules them out before the rules are tried one by one.
 */
const KEYWORDS = keywordPattern([
  // en
  'sent (?:an? |\\d|your |their |his |her )',
  'eacted',
  'liked a message',
  'unsent',
  'removed',
  ' call',
  'called',
  ' added ',
  'left the',
  'named the',
  'changed the',
  'created the',
  'joined the',
  'nickname',
  'theme',
  'emoji to',
  'pinned',
  'admin',
  'disappearing',
  'connected on',
  'waved',
  'say hi',
  'end-to-end',
  'message request',
  'poll',
  'voted',
  'vote to',
  'location',
  'sharing video',
  'shared a',
  // de
  '\\bha(?:t|st)\\b',
  'eagier',
  'anruf',
  'videochat',
  'ihr seid',
  // fr
  'envoyé',
  'réagi',
  'retiré',
  'annulé',
  'appel',
  'ajouté',
  'quitté',
  'nommé',
  'modifié',
  'changé',
  'défini',
  'épinglé',
  'connectés',
  'fait signe',
  'sondage',
  'partagé',
  // es
  'envió',
  'enviaste',
  'eaccionó',
  'anul',
  'eliminó',
  'llamaste',
  'llamó',
  'perdió',
  'inició',
  'agreg',
  'añad',
  'salió',
  'saliste',
  'abandon',
  'cambi',
  'establec',
  'fijó',
  'fijaste',
  'conectados',
  'saludó',
  'encuesta',
  'compartió',
  'compartiste',
  'creó',
  'creaste',
  // pt
  'enviou',
  'eagiu',
  'cancel',
  'removeu',
  'removeste',
  'perdeu',
  'ligou',
  'chamada',
  'ligação',
  'adicion',
  'saiu',
  'saíste',
  'o nome',
  'nomea',
  'alter',
  'mudou',
  'mudaste',
  'definiu',
  'definiste',
  'fixou',
  'fixaste',
  'acenou',
  'criou',
  'criaste',
  'compartilhou',
  'partilhou',
  // it
  'inviato',
  'reagito',
  'annullato',
  'rimosso',
  'perso la',
  'chiamat',
  'avviato',
  'aggiunto',
  'abbandonato',
  'uscit',
  'impostato',
  'cambiato',
  'modificato',
  'fissato',
  'collegati',
  'salutato',
  'creato',
  'condiviso',
]);

/** System texts are short; longer content is always something a person typed. */
const MAX_LENGTH = 300;

/**
 * Recognises a system text. `isPerson` says whether a leading name belongs to someone in the
 * thread; a text whose leading "name" is not a person ("I left the group.") is not a system
 * text but something a person typed.
 */
export function classifySystemText(
  text: string,
  isPerson: (name: string) => boolean = () => true,
): SystemText | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_LENGTH || trimmed.includes('\n')) return undefined;
  // Lower-cased once: a case-insensitive search over this many words is several times slower.
  if (!KEYWORDS.test(trimmed.toLowerCase())) return undefined;
  for (const rule of RULES) {
    const match = rule.pattern.exec(trimmed);
    if (!match) continue;
    const actor = match.groups?.actor;
    if (actor !== undefined && !YOU.has(actor.toLowerCase()) && !isPerson(actor)) continue;
    const result: SystemText = { kind: rule.kind, language: rule.language };
    if (actor !== undefined) result.actor = actor;
    const emoji = match.groups?.emoji?.trim();
    if (emoji) result.emoji = emoji;
    return result;
  }
  return undefined;
}

/** The languages the table covers. */
export const SYSTEM_TEXT_LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es', 'pt', 'it'];
