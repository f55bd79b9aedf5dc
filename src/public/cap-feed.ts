import { markersFor, phrasesFor } from '../alerts/rendering/phrases.js';
import { joinParts } from '../alerts/rendering/text.js';
import { escapeXml } from '../alerts/rendering/xml.js';
import type { PublicAlert, PublicMessage } from './public-alert.types.js';
import { capOf, latestCapMessage } from './public-content.js';
import { sitePaths } from './public-paths.js';
import { isCurrent } from './public-status.policy.js';
import type { SiteContext } from './site-context.js';

/** The entry's title: prefix, markers of its latest CAP message (CANCELLED, ALL CLEAR, TEST), the alert's title. */
function capEntryTitle(sc: SiteContext, alert: PublicAlert, message: PublicMessage): string {
  const { phrases } = phrasesFor(sc.primary);
  const messageType = message.type === 'escalation' ? 'alert' : message.type;
  const markers = markersFor({ kind: alert.kind, messageType }, phrases).map((m) => `${m} -`);
  return joinParts([sc.profile.institution.messagePrefix, ...markers, alert.title]);
}

/**
 * The Atom feed signage and desktop-alert systems poll: one entry per current alert (in force, or
 * ended within the all-clear window so displays take it down), its latest message's CAP 1.2
 * document (the all-clear, or a Cancel for an alert closed without one) both linked and inline, so a
 * poller needs one request.
 */
export function renderCapFeed(sc: SiteContext): string {
  const hours = sc.profile.publicSite.allClearShownHours;
  const current = sc.site.alerts.filter((a) => a.onCap && isCurrent(a, sc.site.builtAt, hours));
  const self = `${sc.siteUrl}/${sitePaths.capFeed}`;
  const updated = current.reduce((max, a) => Math.max(max, latestCapMessage(a).sentAt.getTime()), 0);
  const entries = current.map((alert) => {
    const message = latestCapMessage(alert);
    const url = `${sc.siteUrl}/${sitePaths.capMessage(alert.id, message.sequence)}`;
    const cap = capOf(sc, alert, message).replace(/^<\?xml[^>]*\?>\s*/u, '');
    return `  <entry>
    <id>${escapeXml(url)}</id>
    <title>${escapeXml(capEntryTitle(sc, alert, message))}</title>
    <updated>${message.sentAt.toISOString()}</updated>
    <link rel="alternate" type="application/cap+xml" href="${escapeXml(url)}"/>
    <link rel="related" type="text/html" href="${escapeXml(`${sc.siteUrl}/${sitePaths.alert(alert.id, sc.primary, sc.primary)}`)}"/>
    <content type="application/cap+xml">
${cap.trimEnd()}
    </content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(self)}</id>
  <title>${escapeXml(`${sc.profile.institution.alertProgramName}: CAP 1.2`)}</title>
  <updated>${new Date(updated || (sc.site.updatedAt?.getTime() ?? 0)).toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>
  <author><name>${escapeXml(sc.profile.institution.name)}</name></author>
${entries.join('\n')}
</feed>
`;
}
