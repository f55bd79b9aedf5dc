import { markersFor, phrasesFor } from '../alerts/rendering/phrases.js';
import { joinParts, oneLine, sentence } from '../alerts/rendering/text.js';
import { escapeXml } from '../alerts/rendering/xml.js';
import { sitePhrases } from './public-phrases.js';
import { sitePaths } from './public-paths.js';
import type { PublicAlert, PublicMessage } from './public-alert.types.js';
import { textIn, type SiteContext } from './site-context.js';

/** One feed entry: a message of an alert that went to the public page. */
interface FeedEntry {
  alert: PublicAlert;
  message: PublicMessage;
}

/** The newest messages of public-page alerts, newest first, at most the profile's feedEntries. */
function feedEntries(sc: SiteContext): FeedEntry[] {
  return sc.site.alerts
    .filter((a) => a.onPage)
    .flatMap((alert) => alert.messages.map((message) => ({ alert, message })))
    .sort((a, b) => b.message.sentAt.getTime() - a.message.sentAt.getTime())
    .slice(0, sc.profile.publicSite.feedEntries);
}

function entryTitle(sc: SiteContext, entry: FeedEntry): string {
  const { phrases } = phrasesFor(sc.primary);
  const messageType = entry.message.type === 'escalation' ? 'alert' : entry.message.type;
  const markers = markersFor({ kind: entry.alert.kind, messageType }, phrases).map((m) => `${m} -`);
  return oneLine(joinParts([sc.profile.institution.messagePrefix, ...markers, entry.alert.title]));
}

function entrySummary(sc: SiteContext, entry: FeedEntry): string {
  const t = sitePhrases(sc.primary);
  const text = textIn(entry.message.content, sc.primary, sc.primary);
  const drill =
    entry.alert.kind === 'test' || entry.alert.kind === 'exercise'
      ? phrasesFor(sc.primary).phrases.drillNotice[entry.alert.kind]
      : undefined;
  return joinParts([
    drill,
    sentence(text.what),
    text.where && `${t.where}: ${sentence(text.where)}`,
    `${t.actions}: ${sentence(text.actions)}`,
  ]);
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
    <id>urn:uuid:${message.id}</id>
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
      <guid isPermaLink="false">urn:uuid:${message.id}</guid>
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
