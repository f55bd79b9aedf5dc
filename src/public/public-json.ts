import { sitePhrases } from './public-phrases.js';
import { sitePaths } from './public-paths.js';
import type { PublicAlert } from './public-alert.types.js';
import type { SiteContext } from './site-context.js';

/** An alert for integrations: what the public page shows, with links; nothing about who received it. */
export function alertJson(sc: SiteContext, alert: PublicAlert) {
  const url = (file: string) => `${sc.siteUrl}/${file}`;
  return {
    id: alert.id,
    kind: alert.kind,
    drill: alert.kind === 'test' || alert.kind === 'exercise',
    hazard: alert.hazard,
    title: alert.title,
    state: alert.state,
    createdAt: alert.createdAt.toISOString(),
    closedAt: alert.closedAt?.toISOString() ?? null,
    url: url(sitePaths.alert(alert.id, sc.primary, sc.primary)),
    cap: url(sitePaths.cap(alert.id)),
    messages: alert.messages.map((m) => ({
      sequence: m.sequence,
      type: m.type,
      sentAt: m.sentAt.toISOString(),
      content: m.content,
      cap: url(sitePaths.capMessage(alert.id, m.sequence)),
    })),
  };
}

/** The whole public state for integrations: the status, alerts in force, then the newest alerts. */
export function siteJson(sc: SiteContext) {
  const { status } = sc.site;
  const t = sitePhrases(sc.primary);
  return {
    institution: sc.profile.institution.name,
    program: sc.profile.institution.alertProgramName,
    status: { state: status.state, title: t.status[status.state].title, text: t.status[status.state].text },
    updatedAt: sc.site.updatedAt?.toISOString() ?? null,
    active: status.active.map((a) => alertJson(sc, a)),
    recent: sc.site.alerts
      .filter((a) => a.onPage)
      .slice(0, sc.profile.publicSite.feedEntries)
      .map((a) => alertJson(sc, a)),
    links: {
      page: `${sc.siteUrl}/${sitePaths.home(sc.primary, sc.primary)}`,
      atom: `${sc.siteUrl}/${sitePaths.atom}`,
      rss: `${sc.siteUrl}/${sitePaths.rss}`,
      cap: `${sc.siteUrl}/${sitePaths.capFeed}`,
    },
  };
}
