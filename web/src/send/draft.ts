import type { AlertKind, Place, PreviewBody, SendBody, SendOptions, TemplateVersion } from './send-types';

/** One non-primary language's words in the composer. */
export interface LanguageWords {
  what: string;
  where: string;
  actions: string;
  /** The template's where in this language ("{where}" is the primary where text). */
  whereFrame: string;
  /** The operator typed this language's where: the primary where no longer rewrites it. */
  whereEdited: boolean;
  /** The primary what and actions when these words were last written or kept (see needsReview). */
  reviewedFor: string;
  /** The profile's sentence, in this language, that the details are in the primary language. */
  detailsSentence: string;
}

/** Everything the operator has chosen or typed for one alert; kept in sessionStorage until it is sent. */
export interface Draft {
  version: 2;
  operatorId: string;
  templateId: string;
  templateName: string;
  kind: AlertKind;
  what: string;
  actions: string;
  where: string;
  /** The other languages' words, by language code, starting from the template's. */
  languages: Record<string, LanguageWords>;
  /** The operator typed the where text: picking places no longer rewrites it. */
  whereEdited: boolean;
  places: Place[];
  everyone: boolean;
  audienceReason: string;
  reasonEdited: boolean;
  channels: string[];
  channelsEdited: boolean;
  announced: boolean;
  /** Ask people to answer 1 (safe) or 2 (need help). */
  acknowledgementRequested: boolean;
  confirmedBy: string;
  confirmationSource: string;
  /** The source is the drill default ("Scheduled test"), not something the operator said. */
  sourceIsDefault: boolean;
  /** A datetime-local value (this device's time zone). */
  confirmedAt: string;
  delayReason: string;
  delayDecidedBy: string;
  step: 'compose' | 'review';
  /** The operator changed something: from then on the draft is kept and the session held open. */
  touched: boolean;
}

const prefix = 'tocsin.send.draft.';

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** A datetime-local value for a moment, in this device's time zone. */
function localDateTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The source recorded for a drill unless the operator says otherwise; an emergency gets none. */
function drillSource(kind: AlertKind): string {
  if (kind === 'test') return 'Scheduled test';
  if (kind === 'exercise') return 'Scheduled exercise';
  return '';
}

/** The kinds this operator may send with this template, emergency first as the profile lists them. */
export function kindsFor(options: SendOptions, hazard: string): AlertKind[] {
  const mine = options.kinds.map((k) => k.kind);
  const h = options.hazards.find((x) => x.code === hazard);
  return h ? h.kinds : mine;
}

/** The default kind: emergency when the hazard and the operator allow it, otherwise the first allowed. */
function defaultKind(options: SendOptions, hazard: string): AlertKind | null {
  const kinds = kindsFor(options, hazard);
  return kinds.includes('emergency') ? 'emergency' : (kinds[0] ?? null);
}

/** Channels in the profile's order (the order the composer lists them), whatever order they were chosen in. */
export function inChannelOrder(
  options: Pick<SendOptions, 'channels'>,
  channels: readonly string[],
): string[] {
  const rank = (c: string) => {
    const at = options.channels.findIndex((x) => x.channel === c);
    return at < 0 ? options.channels.length : at;
  };
  return [...channels].sort((a, b) => rank(a) - rank(b));
}

function defaultChannels(options: SendOptions, kind: AlertKind): string[] {
  return inChannelOrder(
    options,
    options.kinds.find((k) => k.kind === kind)?.defaultChannels ?? options.channels.map((c) => c.channel),
  );
}

/** A new draft from the template, the operator's options and their name. */
export function newDraft(
  template: TemplateVersion,
  options: SendOptions,
  operator: { id: string; displayName: string },
  now: Date,
): Draft | null {
  const kind = defaultKind(options, template.hazard);
  if (!kind) return null;
  const primary = options.languages.find((l) => l.primary)?.code ?? 'en';
  const text = template.languages[primary] ?? Object.values(template.languages)[0];
  const what = text?.what ?? '';
  const actions = text?.actions ?? '';
  const languages: Record<string, LanguageWords> = {};
  for (const language of options.languages) {
    const own = template.languages[language.code];
    if (language.primary || !own) continue;
    languages[language.code] = {
      what: own.what,
      where: own.where.replaceAll('{where}', ''),
      actions: own.actions,
      whereFrame: own.where,
      whereEdited: false,
      reviewedFor: primaryWords({ what, actions }),
      detailsSentence: language.detailsInPrimaryLanguage ?? '',
    };
  }
  return {
    version: 2,
    operatorId: operator.id,
    templateId: template.templateId,
    templateName: template.name,
    kind,
    what,
    actions,
    where: '',
    languages,
    whereEdited: false,
    places: [],
    everyone: false,
    audienceReason: '',
    reasonEdited: false,
    channels: defaultChannels(options, kind),
    channelsEdited: false,
    announced: true,
    acknowledgementRequested: false,
    confirmedBy: operator.displayName,
    confirmationSource: drillSource(kind),
    sourceIsDefault: drillSource(kind) !== '',
    confirmedAt: localDateTime(now),
    delayReason: '',
    delayDecidedBy: '',
    step: 'compose',
    touched: false,
  };
}

/** Changing the kind: the drill's default source and the kind's default channels follow, unless edited. */
export function withKind(draft: Draft, kind: AlertKind, options: SendOptions, hazardTitle: string): Draft {
  const next: Draft = { ...draft, kind };
  if (draft.sourceIsDefault || draft.confirmationSource.trim() === '') {
    next.confirmationSource = drillSource(kind);
    next.sourceIsDefault = next.confirmationSource !== '';
  }
  if (!draft.channelsEdited) next.channels = defaultChannels(options, kind);
  return withGeneratedTexts(next, hazardTitle);
}

/** "Building W20 (Stratton Student Center)": how a picked place reads in the message. */
export function placeText(place: Place): string {
  if (new RegExp(`(^|\\W)${place.code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`, 'i').test(place.name))
    return place.name;
  if (place.kind === 'building') return `Building ${place.code} (${place.name})`;
  return `${place.name} (${place.code})`;
}

/** The where text and the audience reason, regenerated from the choice unless the operator wrote them. */
export function withGeneratedTexts(draft: Draft, hazardTitle: string): Draft {
  const list = draft.places.map(placeText).join('; ');
  const what = `this ${hazardTitle.toLowerCase()} ${draft.kind === 'emergency' ? 'alert' : draft.kind}`;
  const where = draft.everyone ? 'The whole campus' : list;
  const reason = draft.everyone
    ? `Campus-wide: ${what} concerns the whole campus community.`
    : list
      ? `People whose building or residence hall is ${list}, where ${what} applies.`
      : '';
  const primaryWhere = draft.whereEdited ? draft.where : where;
  return {
    ...draft,
    where: primaryWhere,
    audienceReason: draft.reasonEdited ? draft.audienceReason : reason,
    languages: Object.fromEntries(
      Object.entries(draft.languages).map(([code, words]) => [
        code,
        words.whereEdited ? words : { ...words, where: words.whereFrame.replaceAll('{where}', primaryWhere) },
      ]),
    ),
  };
}

/** The primary words another language's words must agree with. */
function primaryWords(draft: Pick<Draft, 'what' | 'actions'>): string {
  return JSON.stringify([draft.what.trim(), draft.actions.trim()]);
}

/**
 * A language needs review when the primary what or actions changed since its words were last
 * written or kept (from the template's, at first). Until then it is sent as the sentence saying
 * the details are in the primary language, then the primary words: never words that may
 * contradict them.
 */
export function needsReview(draft: Draft, language: string): boolean {
  const words = draft.languages[language];
  return words !== undefined && words.reviewedFor !== primaryWords(draft);
}

/** An edit of one language's words (the operator wrote them knowing the primary words). */
export function withLanguageWords(
  draft: Draft,
  language: string,
  patch: Partial<Pick<LanguageWords, 'what' | 'where' | 'actions'>>,
): Partial<Draft> {
  const words = draft.languages[language]!;
  return {
    languages: {
      ...draft.languages,
      [language]: {
        ...words,
        ...patch,
        whereEdited: words.whereEdited || patch.where !== undefined,
        reviewedFor: primaryWords(draft),
      },
    },
  };
}

/** Keep a language's words as they are after the primary words changed (the operator checked them). */
export function keepLanguageWords(draft: Draft, language: string): Partial<Draft> {
  return withLanguageWords(draft, language, {});
}

/** Each language's words as they will be sent: the operator's, or the details-in-primary sentence. */
export function sentWords(draft: Draft): Record<string, { what: string; where: string; actions: string }> {
  return Object.fromEntries(
    Object.entries(draft.languages).map(([code, words]) => [
      code,
      needsReview(draft, code)
        ? {
            what: `${words.detailsSentence} ${draft.what.trim()}`.trim(),
            where: draft.where.trim(),
            actions: draft.actions.trim(),
          }
        : { what: words.what.trim(), where: words.where.trim(), actions: words.actions.trim() },
    ]),
  );
}

function translationsOf(draft: Draft): SendBody['translations'] {
  const sent = Object.entries(sentWords(draft)).map(
    ([code, words]) =>
      [
        code,
        {
          what: optional(words.what),
          where: optional(words.where),
          actions: optional(words.actions),
        },
      ] as const,
  );
  return sent.length > 0 ? Object.fromEntries(sent) : undefined;
}

/** The audience the API takes. */
export function audienceOf(draft: Draft): SendBody['audience'] {
  if (draft.everyone) return { everyone: true };
  return { locationCodes: draft.places.map((p) => p.code) };
}

function confirmedAtIso(draft: Draft): string | undefined {
  const at = new Date(draft.confirmedAt);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The POST /api/v1/alerts body of a draft (the preview takes the same). */
export function sendBodyOf(draft: Draft): SendBody {
  const drill = draft.kind === 'test' || draft.kind === 'exercise';
  return {
    templateId: draft.templateId,
    kind: draft.kind,
    where: draft.where.trim(),
    what: optional(draft.what),
    actions: optional(draft.actions),
    translations: translationsOf(draft),
    audience: audienceOf(draft),
    audienceReason: draft.audienceReason.trim(),
    channels: draft.channels,
    announced: drill ? draft.announced : undefined,
    acknowledgementRequested: draft.acknowledgementRequested || undefined,
    confirmedBy: optional(draft.confirmedBy),
    confirmationSource: optional(draft.confirmationSource),
    confirmedAt: confirmedAtIso(draft),
    delayReason: (optional(draft.delayReason) as SendBody['delayReason']) ?? undefined,
    delayDecidedBy: draft.delayReason ? optional(draft.delayDecidedBy) : undefined,
  };
}

/** The preview body, or null while the draft cannot be previewed (no where yet, no channel). */
export function previewBodyOf(draft: Draft): PreviewBody | null {
  const body: PreviewBody = { ...sendBodyOf(draft) };
  if (!body.where || body.channels.length === 0) return null;
  if (!body.audienceReason) delete body.audienceReason;
  if (draft.places.length === 0 && !draft.everyone) delete body.audience;
  return body;
}

/** What the operator must still fill in, by field, in words (the server checks again). */
export function draftProblems(draft: Draft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.everyone && draft.places.length === 0)
    problems.audience = 'Choose who receives it: a building, zone or residence hall, or Everyone on campus.';
  if (!draft.where.trim()) problems.where = 'Say where, as the message should put it.';
  if (!draft.audienceReason.trim()) problems.audienceReason = 'Say why this audience (the record keeps it).';
  if (!draft.what.trim()) problems.what = 'Say what is happening.';
  if (!draft.actions.trim()) problems.actions = 'Say what people should do.';
  for (const [code, words] of Object.entries(draft.languages)) {
    if (needsReview(draft, code)) continue;
    if (!words.what.trim()) problems[`translations.${code}.what`] = 'Say what is happening in this language.';
    if (!words.where.trim()) problems[`translations.${code}.where`] = 'Say where, in this language.';
    if (!words.actions.trim())
      problems[`translations.${code}.actions`] = 'Say what people should do, in this language.';
  }
  if (draft.channels.length === 0) problems.channels = 'Choose at least one channel.';
  if (draft.kind !== 'emergency') return problems;
  if (!draft.confirmedBy.trim()) problems.confirmedBy = 'Say who confirmed the emergency.';
  if (!draft.confirmationSource.trim())
    problems.confirmationSource = 'Say how the emergency was confirmed: choose a source or type one.';
  if (!confirmedAtIso(draft)) problems.confirmedAt = 'Say when the emergency was confirmed.';
  return problems;
}

export function loadDraft(templateId: string, operatorId: string): Draft | null {
  try {
    const text = sessionStorage.getItem(prefix + templateId);
    if (!text) return null;
    const draft = JSON.parse(text) as Draft;
    return draft.version === 2 && draft.operatorId === operatorId ? draft : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    sessionStorage.setItem(prefix + draft.templateId, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft lives on in the page while it stays open.
  }
}

export function clearDraft(templateId: string): void {
  try {
    sessionStorage.removeItem(prefix + templateId);
  } catch {
    // Nothing kept, nothing to clear.
  }
}

/** The unsent drafts of this operator in this tab. */
export function listDrafts(operatorId: string): Draft[] {
  const drafts: Draft[] = [];
  try {
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const draft = loadDraft(key.slice(prefix.length), operatorId);
      if (draft) drafts.push(draft);
    }
  } catch {
    // No storage: no drafts.
  }
  return drafts;
}
