import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Profile } from '../../platform/profile.js';
import type { alertStatus } from '../alert-status.js';
import type { AudienceSpec, DeliveryStatus, MessageContent, MessageType } from '../alerts.tables.js';
import { deliveryStatuses } from '../alerts.tables.js';
import { formatLocalTime } from '../rendering/time.js';
import { languageName } from '../send-options.js';
import {
  affiliationLabels,
  channelLabels,
  delayReasonLabels,
  deliveryStatusLabels,
  kindChoice,
  messageTypeLabels,
} from './break-glass.labels.js';
import { csrfInput, messageBox, textField } from './break-glass.layout.js';

type AlertStatusView = Awaited<ReturnType<typeof alertStatus>>;
export type FollowUpForm = 'update' | 'all_clear' | 'close';

export interface AlertPageView {
  profile: Profile;
  alert: AlertStatusView;
  /** Messages whose deliveries are still being created. */
  awaitingFanOut: number;
  now: Date;
  csrfToken: string;
  /** The operator holds alerts.close: the close form is offered (the server refuses it otherwise). */
  mayClose: boolean;
  /** What was just done (after a redirect). */
  notice: string | null;
  /** A refused update, all-clear or close: which form, why, and what was typed. */
  failure: { form: FollowUpForm; message: string; values: Record<string, string> } | null;
}

// Deliveries still to be decided: nothing about them is final yet.
const inFlight: DeliveryStatus[] = ['created', 'queued', 'sending', 'temporary_failure'];

/** Where one channel is: its deliveries not all created yet, some still in flight, or done. */
export function channelState(
  counts: Partial<Record<string, number>>,
  awaitingFanOut: number,
): 'preparing' | 'in_progress' | 'done' {
  if (awaitingFanOut > 0) return 'preparing';
  return inFlight.some((s) => (counts[s] ?? 0) > 0) ? 'in_progress' : 'done';
}

const stateWords = { preparing: 'Preparing', in_progress: 'In progress', done: 'Done' } as const;

/** An audience in words. */
export function audienceWords(audience: AudienceSpec): string {
  if (audience.everyone) return 'Everyone on campus';
  const parts: string[] = [];
  if (audience.locationCodes?.length) parts.push(`buildings and zones ${audience.locationCodes.join(', ')}`);
  if (audience.affiliations?.length)
    parts.push(audience.affiliations.map((a) => affiliationLabels[a] ?? a).join(', '));
  if (audience.groupIds?.length) parts.push(`${audience.groupIds.length} group(s)`);
  const text = parts.join('; ') || 'nobody';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The alert's page: where each channel is, what was sent, and the forms to follow it up. */
export function alertPageView(view: AlertPageView): SafeHtml {
  const { alert } = view;
  return html`${messageBox('done', view.notice)} ${summary(view)}
    <h2 id="delivery">Delivery</h2>
    ${deliveryTable(view)}
    <p>
      <a class="button" href="/send/alerts/${alert.id}">Refresh</a>
      <span class="hint"
        >Checked at ${time(view, view.now)}. This page does not change until you refresh it.</span
      >
    </p>
    <h2>Messages sent</h2>
    ${alert.messages.map((m) => messageBlock(view, m))} ${followUpForms(view)}
    <p><a href="/send">Send another alert</a></p>`;
}

function time(view: AlertPageView, at: Date | string | null): string {
  return at ? formatLocalTime(new Date(at), view.profile.institution.timezone, 'en-US') : 'not recorded';
}

function summary(view: AlertPageView): SafeHtml {
  const { alert, profile } = view;
  const hazard = profile.alerts.hazards.find((h) => h.code === alert.hazard)?.title ?? alert.hazard;
  const state =
    alert.status === 'closed'
      ? 'Closed'
      : alert.status === 'sent'
        ? 'Sent: every channel is done'
        : 'Sending';
  const r = alert.record;
  return html`<dl>
    <dt>State</dt>
    <dd>${state}</dd>
    <dt>Alert</dt>
    <dd>${hazard} · ${kindChoice(profile, alert.kind).label}</dd>
    <dt>Audience</dt>
    <dd>${audienceWords(alert.audience)}</dd>
    <dt>Sent by</dt>
    <dd>${alert.sentBy ?? 'unknown'}, ${time(view, r.initiatedAt)}</dd>
    ${
      alert.kind === 'emergency' || r.confirmationSource
        ? html`<dt>Confirmed</dt>
            <dd>
              by ${r.confirmedBy ?? 'not recorded'} from ${r.confirmationSource ?? 'no source recorded'},
              ${time(view, r.confirmedAt)}
            </dd>`
        : ''
    }
    ${
      r.delayReason
        ? html`<dt>Why sending waited</dt>
            <dd>
              ${delayReasonLabels[r.delayReason] ?? r.delayReason} (decided by
              ${r.delayDecidedBy ?? 'not recorded'})
            </dd>`
        : ''
    }
  </dl>`;
}

function deliveryTable(view: AlertPageView): SafeHtml {
  const { alert } = view;
  const channels = [...new Set([...alert.channels, ...Object.keys(alert.deliveries)])];
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Channel</th>
        <th scope="col">State</th>
        <th scope="col">Deliveries</th>
      </tr>
    </thead>
    <tbody>
      ${channels.map((c) => {
        const counts = alert.deliveries[c] ?? {};
        const state = channelState(counts, view.awaitingFanOut);
        const parts = deliveryStatuses
          .filter((s) => counts[s])
          .map((s) => `${counts[s]} ${deliveryStatusLabels[s]}`);
        return html`<tr>
          <th scope="row">${channelLabels[c] ?? c}</th>
          <td class="state">${stateWords[state]}</td>
          <td>
            ${parts.length ? parts.join(', ') : state === 'done' ? 'none (nobody to reach)' : 'none yet'}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function messageBlock(view: AlertPageView, m: AlertStatusView['messages'][number]): SafeHtml {
  const primary = view.profile.alerts.languages[0]!;
  const words = (m.content as MessageContent)[primary];
  return html`<h3>${messageTypeLabels[m.type as MessageType] ?? m.type}, ${time(view, m.createdAt)}</h3>
    ${
      words
        ? html`<dl>
            <dt>What</dt>
            <dd>${words.what}</dd>
            <dt>Where</dt>
            <dd>${words.where}</dd>
            <dt>What to do</dt>
            <dd>${words.actions}</dd>
          </dl>`
        : ''
    }`;
}

function failureFor(view: AlertPageView, form: FollowUpForm): SafeHtml {
  return view.failure?.form === form ? messageBox('error', view.failure.message) : html``;
}

function followUpForms(view: AlertPageView): SafeHtml {
  const { alert } = view;
  if (alert.status === 'closed') return html`<p>This alert is closed: nothing more goes out for it.</p>`;
  const action = `/send/alerts/${alert.id}`;
  const typed = (field: string) =>
    view.failure?.form === 'update' ? (view.failure.values[field] ?? '') : '';
  return html`<h2 id="update-heading">Send an update</h2>
    <form method="post" action="${action}/updates" novalidate aria-labelledby="update-heading">
      ${csrfInput(view.csrfToken)}
      <input type="hidden" name="type" value="update" />
      ${failureFor(view, 'update')}
      <p class="hint">To the same people on the same channels. Fill in what changed; the rest stays.</p>
      ${textField({ id: 'update-what', label: 'What happened now', value: typed('what'), multiline: true })}
      ${textField({ id: 'update-where', label: 'Where', value: typed('where') })}
      ${textField({ id: 'update-actions', label: 'What people should do now', value: typed('actions'), multiline: true })}
      ${view.profile.alerts.languages.slice(1).map((language) => updateLanguageFields(view, language, typed))}
      <button type="submit">Send update</button>
    </form>
    <h2 id="all-clear-heading">Send the all-clear</h2>
    <form method="post" action="${action}/updates" aria-labelledby="all-clear-heading">
      ${csrfInput(view.csrfToken)}
      <input type="hidden" name="type" value="all_clear" />
      ${failureFor(view, 'all_clear')}
      <p class="hint">Tells the same people the emergency is over, in the all-clear template's words.</p>
      <button type="submit">Send the all-clear</button>
    </form>
    ${view.mayClose ? closeForm(view, action) : ''}`;
}

/** Another language's words for an update: empty at first, never the earlier message's words. */
function updateLanguageFields(
  view: AlertPageView,
  language: string,
  typed: (field: string) => string,
): SafeHtml {
  const name = languageName(language);
  const primary = languageName(view.profile.alerts.languages[0]!);
  const sentence = view.profile.alerts.detailsInPrimaryLanguage[language] ?? '';
  const field = (part: string, label: string, multiline = false) =>
    textField({ id: `update-${language}-${part}`, label, value: typed(`${language}-${part}`), multiline });
  return html`<fieldset id="update-${language}">
    <legend>In ${name} (optional)</legend>
    <p class="hint">
      Left empty, ${name} readers are told "<span lang="${language}">${sentence}</span>" and get the
      ${primary} words. Fill in what changed in ${name}; its empty fields then keep the current ${name} words.
    </p>
    ${field('what', `What happened now, in ${name}`, true)} ${field('where', `Where, in ${name}`)}
    ${field('actions', `What people should do now, in ${name}`, true)}
  </fieldset>`;
}

function closeForm(view: AlertPageView, action: string): SafeHtml {
  return html`<h2 id="close-heading">Close the alert</h2>
    <form method="post" action="${action}/close" novalidate aria-labelledby="close-heading">
      ${csrfInput(view.csrfToken)} ${failureFor(view, 'close')}
      <p class="hint">When every channel is done. Without an all-clear, say why it is closed.</p>
      ${textField({
        id: 'reason',
        label: 'Reason (only without an all-clear)',
        value: view.failure?.form === 'close' ? (view.failure.values.reason ?? '') : '',
        multiline: true,
      })}
      <button type="submit" class="secondary">Close the alert</button>
    </form>`;
}
