import { createHash } from 'node:crypto';
import { markersFor, phrasesFor } from '../alerts/rendering/phrases.js';
import { joinParts, oneLine, sentence } from '../alerts/rendering/text.js';
import { escapeXml } from '../alerts/rendering/xml.js';
import { capMessagesOf } from './public-content.js';
import { sitePhrases } from './public-phrases.js';
import { sitePaths } from './public-paths.js';
import type { PublicAlert, PublicMessage } from './public-alert.types.js';
import { textIn, type SiteContext } from './site-context.js';

/** One feed entry: a message of an alert that went to the public page. */
interface FeedEntry {
  alert: PublicAlert;
  message: PublicMessage;
}

/**
 * The newest messages of public-page alerts, newest first, at most the profile's feedEntries. An
 * alert's end is an entry too: its all-clear, or the Cancel of an alert closed without one (as in
 * the CAP feed), so a feed reader learns that it is over.
 */
function feedEntries(sc: SiteContext): FeedEntry[] {
  return sc.site.alerts
    .filter((a) => a.onPage)
    .flatMap((alert) => capMessagesOf(alert).map((message) => ({ alert, message })))
    .sort((a, b) => b.message.sentAt.getTime() - a.message.sentAt.getTime())
    .slice(0, sc.profile.publicSite.feedEntries);
}

const isDrill = (entry: FeedEntry) => entry.alert.kind === 'test' || entry.alert.kind === 'exercise';

function entryTitle(sc: SiteContext, entry: FeedEntry): string {
  const { phrases } = phrasesFor(sc.primary);
  const messageType = entry.message.type === 'escalation' ? 'alert' : entry.message.type;
  const markers = markersFor({ kind: entry.alert.kind, messageType }, phrases).map((m) => `${m} -`);
  // A drill's all-clear has no ALL CLEAR marker: its own words say that it is over.
  const over =
    messageType === 'all_clear' && isDrill(entry)
      ? `- ${textIn(entry.message.content, sc.primary, sc.primary).what}`
      : undefined;
  return oneLine(joinParts([sc.profile.institution.messagePrefix, ...markers, entry.alert.title, over]));
}

function entrySummary(sc: SiteContext, entry: FeedEntry): string {
  const t = sitePhrases(sc.primary);
  const { phrases } = phrasesFor(sc.primary);
  const text = textIn(entry.message.content, sc.primary, sc.primary);
  const drill = isDrill(entry) ? phrases.drillNotice[entry.alert.kind as 'test' | 'exercise'] : undefined;
  const where = text.where && `${t.where}: ${sentence(text.where)}`;
  if (entry.message.type === 'cancel') return joinParts([drill, phrases.cancelled.notice, where]);
  return joinParts([drill, sentence(text.what), where, `${t.actions}: ${sentence(text.actions)}`]);
}

/**
 * The entry's permanent id: the message's uuid, or for the Cancel (which is CAP's, not a stored
 * message) a name-based uuid (RFC 4122 version 5 layout) of its id, the same on every render.
 */
function entryId(message: PublicMessage): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u.test(message.id))
    return `urn:uuid:${message.id}`;
  const hex = createHash('sha1').update(`tocsin:${message.id}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const absolute = (sc: SiteContext, file: string) => `${sc.siteUrl}/${file}`;

/** The newest time anything in the feed changed (Atom needs one even for an empty feed). */
function feedUpdated(sc: SiteContext): Date {
  return sc.site.updatedAt ?? new Date(0);
}

/** Atom 1.0 (RFC 4287) of the newest alert messages. */
export function renderAtomFeed(sc: SiteContext): string {
  const program = sc.profile.institution.alertProgramName;
  const entries = feedEntries(sc).map((entry) => {
    const { alert, message } = entry;
    return `  <entry>
    <id>${entryId(message)}</id>
    <title>${escapeXml(entryTitle(sc, entry))}</title>
    <updated>${message.sentAt.toISOString()}</updated>
    <published>${message.sentAt.toISOString()}</published>
    <link rel="alternate" type="text/html" href="${escapeXml(absolute(sc, sitePaths.alert(alert.id, sc.primary, sc.primary)))}"/>
    <link rel="related" type="application/cap+xml" href="${escapeXml(absolute(sc, sitePaths.capMessage(alert.id, message.sequence)))}"/>
    <category term="${alert.kind}" label="${escapeXml(sitePhrases(sc.primary).kinds[alert.kind])}"/>
    <summary type="text">${escapeXml(entrySummary(sc, entry))}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${sc.primary}">
  <id>${escapeXml(absolute(sc, sitePaths.atom))}</id>
  <title>${escapeXml(program)}</title>
  <subtitle>${escapeXml(sitePhrases(sc.primary).subtitle(sc.profile.institution.name))}</subtitle>
  <updated>${feedUpdated(sc).toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${escapeXml(absolute(sc, sitePaths.atom))}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(absolute(sc, sitePaths.home(sc.primary, sc.primary)))}"/>
  <author><name>${escapeXml(sc.profile.institution.name)}</name></author>
${entries.join('\n')}
</feed>
`;
}

/** RSS 2.0 of the same entries. */
export function renderRssFeed(sc: SiteContext): string {
  const program = sc.profile.institution.alertProgramName;
  const items = feedEntries(sc).map((entry) => {
    const { alert, message } = entry;
    return `    <item>
      <title>${escapeXml(entryTitle(sc, entry))}</title>
      <link>${escapeXml(absolute(sc, sitePaths.alert(alert.id, sc.primary, sc.primary)))}</link>
      <guid isPermaLink="false">${entryId(message)}</guid>
      <pubDate>${message.sentAt.toUTCString()}</pubDate>
      <category>${escapeXml(sitePhrases(sc.primary).kinds[alert.kind])}</category>
      <description>${escapeXml(entrySummary(sc, entry))}</description>
    </item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(program)}</title>
    <link>${escapeXml(absolute(sc, sitePaths.home(sc.primary, sc.primary)))}</link>
    <description>${escapeXml(sitePhrases(sc.primary).subtitle(sc.profile.institution.name))}</description>
    <language>${sc.primary}</language>
    <lastBuildDate>${feedUpdated(sc).toUTCString()}</lastBuildDate>
    <atom:link rel="self" type="application/rss+xml" href="${escapeXml(absolute(sc, sitePaths.rss))}"/>
${items.join('\n')}
  </channel>
</rss>
`;
}
