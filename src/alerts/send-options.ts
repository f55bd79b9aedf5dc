import type { Principal } from '../identity/principal.js';
import type { Permission } from '../identity/permissions.js';
import type { Profile } from '../platform/profile.js';
import { alertKinds, type AlertKind } from './alerts.tables.js';
import { maySend, profileKindOf } from './send-alert.policy.js';
import {
  channelLabels,
  delayReasonLabels,
  kindLabels,
  personalChannels,
  type SendOptions,
} from './send-flow.schema.js';

/** The language's name in English ("Spanish"), or the tag itself when ICU has no name for it. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The kinds this caller may send: an operator by the profile's send roles, a token by its permissions. */
export function sendableKinds(profile: Profile, principal: Principal): AlertKind[] {
  return alertKinds.filter((kind) => {
    const permission = `alerts.send.${profileKindOf(kind)}` as Permission;
    if (!principal.permissions.has(permission)) return false;
    return principal.kind === 'token' || maySend(profile, principal.roles, kind);
  });
}

/** The channels the profile lacks, of those asked for. */
export function unknownChannels(profile: Profile, channels: readonly string[]): string[] {
  return channels.filter((c) => !(profile.alerts.channels as readonly string[]).includes(c));
}

/** Why a template may not be sent as this kind (its hazard allows other kinds), or null when it may. */
export function hazardKindProblem(
  profile: Profile,
  template: { name: string; hazard: string },
  kind: AlertKind,
): string | null {
  const hazard = profile.alerts.hazards.find((h) => h.code === template.hazard);
  if (!hazard || hazard.kinds.includes(kind)) return null;
  return `The "${template.name}" template is not for ${kind} alerts (only ${hazard.kinds.join(', ')}).`;
}

/**
 * What the console's send form offers this caller: the kinds it may send (with the profile's
 * words and default channels), each hazard's kinds among them, the channels, languages, delay
 * reasons in words, the Clery threshold and the confirmation-source suggestions.
 */
export function sendOptionsFor(profile: Profile, principal: Principal): SendOptions {
  const kinds = sendableKinds(profile, principal);
  const channels = profile.alerts.channels;
  const primary = profile.alerts.languages[0];
  return {
    kinds: kinds.map((kind) => {
      const definition = profile.alerts.kinds[profileKindOf(kind)];
      return {
        kind,
        label: kindLabels[kind],
        title: definition.title,
        description: definition.description,
        defaultChannels: definition.defaultChannels ?? [...channels],
      };
    }),
    hazards: profile.alerts.hazards.map((h) => ({
      code: h.code,
      title: h.title,
      kinds: h.kinds.filter((k) => kinds.includes(k)),
    })),
    channels: channels.map((channel) => ({
      channel,
      label: channelLabels[channel] ?? channel,
      reachesPeople: (personalChannels as readonly string[]).includes(channel),
    })),
    languages: profile.alerts.languages.map((code) => ({
      code,
      name: languageName(code),
      primary: code === primary,
      ...(code === primary
        ? {}
        : { detailsInPrimaryLanguage: profile.alerts.detailsInPrimaryLanguage[code] ?? '' }),
    })),
    delayReasons: profile.alerts.delayReasons.map((reason) => ({ reason, label: delayReasonLabels[reason] })),
    initiationDelayThresholdMinutes: profile.alerts.initiationDelayThresholdMinutes,
    confirmationSources: profile.alerts.confirmationSources,
  };
}
