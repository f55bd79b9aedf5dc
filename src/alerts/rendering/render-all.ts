import type { AlertContent } from './alert-content.js';
import { renderCapDocument } from './cap.js';
import { renderEmail, type EmailRendering } from './email.js';
import { renderSignage, type SignageRendering } from './signage.js';
import { renderSms, type SmsRendering } from './sms.js';
import {
  renderFacebookPost,
  renderXPost,
  type FacebookPostRendering,
  type XPostRendering,
} from './social.js';
import { renderVoice, type VoiceRendering } from './voice.js';

/** Every channel's rendering of one alert message, for the composer's preview. */
export interface AllRenderings {
  sms: SmsRendering;
  voice: VoiceRendering;
  email: EmailRendering;
  x: XPostRendering;
  facebook: FacebookPostRendering;
  signage: SignageRendering;
  cap: string;
  /** Every channel's warnings, each once, prefixed with the channels that raised it. */
  previewWarnings: string[];
}

/** Renders the message for every channel; `languages` are the other languages' contents (for CAP). */
export function renderAll(content: AlertContent, languages: AlertContent[]): AllRenderings {
  const sms = renderSms(content);
  const voice = renderVoice(content);
  const email = renderEmail(content);
  const x = renderXPost(content);
  const facebook = renderFacebookPost(content);
  const signage = renderSignage(content);
  const cap = renderCapDocument(content, languages);
  const labelled: Array<[string, string[]]> = [
    ['SMS', sms.warnings],
    ['Voice', voice.warnings],
    ['Email', email.warnings],
    ['X', x.warnings],
    ['Facebook', facebook.warnings],
    ['Signage', signage.warnings],
    ['CAP', cap.warnings],
  ];
  const previewWarnings = mergeWarnings(labelled);
  return { sms, voice, email, x, facebook, signage, cap: cap.xml, previewWarnings };
}

/** 'SMS, Email: …' for a warning several channels raised, in first-seen order. */
function mergeWarnings(labelled: Array<[string, string[]]>): string[] {
  const channelsByWarning = new Map<string, string[]>();
  for (const [channel, warnings] of labelled) {
    for (const warning of warnings) {
      const channels = channelsByWarning.get(warning) ?? [];
      if (!channels.includes(channel)) channels.push(channel);
      channelsByWarning.set(warning, channels);
    }
  }
  return [...channelsByWarning].map(([warning, channels]) => `${channels.join(', ')}: ${warning}`);
}
