import { nextQuery } from '../../identity/sign-in-stages.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { messageBox } from './break-glass.layout.js';
import { readFollowUpForm } from './follow-up-form.js';
import { sendFormFields, type SendFormValues } from './send-form.js';

/** A form posted after the session ended, to give back: where it posts, its fields, what it said. */
export interface KeptForm {
  action: string;
  /** Every field as the form named it, to post again. */
  fields: Record<string, string | string[]>;
  /** What the person wrote, shown back (empty ones left out). */
  shown: Array<[label: string, text: string]>;
  /** The page signing in comes back to. */
  next: string;
  /** "Nothing was sent", "The alert was not closed". */
  nothingDone: string;
}

/**
 * The answer to a form posted after the session ended: nothing was done, and nothing typed is
 * lost. The words are shown back and every value rides along in hidden fields, so after signing
 * in (in another tab: this one keeps the form) one press brings the form back, filled in, to check
 * and submit. It holds no CSRF token (there is no session to hold one): the form it brings back
 * does, and only that one acts.
 */
export function keptFormView(kept: KeptForm): SafeHtml {
  const hidden = Object.entries(kept.fields).flatMap(([name, value]) =>
    [value].flat().map((one) => html`<input type="hidden" name="${name}" value="${one}" />`),
  );
  const shown = kept.shown.filter(([, text]) => text.trim() !== '');
  return html`${messageBox(
      'error',
      `${kept.nothingDone}: your session ended before you pressed the button. What you filled in is kept on this page.`,
    )}
    <ol>
      <li>
        <a href="/login${nextQuery(kept.next)}" target="_blank" rel="noopener">Sign in in a new tab</a> (this
        tab keeps your form).
      </li>
      <li>Come back to this tab and press <strong>Bring back my form</strong>: you check it, then send.</li>
    </ol>
    ${
      shown.length > 0
        ? html`<dl>
            ${shown.map(
              ([label, text]) =>
                html`<dt>${label}</dt>
                  <dd>${text}</dd>`,
            )}
          </dl>`
        : ''
    }
    <form method="post" action="${kept.action}">
      ${hidden}
      <button type="submit">Bring back my form</button>
    </form>`;
}

/** The plain send form, kept. */
export function keptSendForm(values: SendFormValues): KeptForm {
  const languageWords = Object.entries(values.translations).flatMap(([language, words]) =>
    Object.entries(words).map(([part, value]): [string, string] => [`${language}-${part}`, value]),
  );
  return {
    action: '/send',
    fields: {
      ...Object.fromEntries(sendFormFields.map((name) => [name, values[name]])),
      ...Object.fromEntries(languageWords.map(([field, value]) => [field, value])),
    },
    shown: [
      ['What', values.what],
      ['Where', values.where],
      ['What to do', values.actions],
      ...languageWords.map(([field, value]): [string, string] => [field.replace('-', ': '), value]),
    ],
    next: '/send',
    nothingDone: 'Nothing was sent',
  };
}

/** What did not happen when an update or all-clear form was refused, in the form's own terms. */
export function followUpNothingDone(type: string): string {
  return type === 'all_clear' ? 'The all-clear was not sent' : 'Nothing was sent';
}

/** An alert page's update or all-clear form, kept. */
export function keptFollowUpForm(alertId: string, body: unknown): KeptForm {
  const v = readFollowUpForm(body);
  const { type, what, where, actions, ...languages } = v;
  const words = Object.entries(languages) as Array<[string, string]>;
  return {
    action: `/send/alerts/${alertId}/updates`,
    fields: {
      type,
      'update-what': what,
      'update-where': where,
      'update-actions': actions,
      ...Object.fromEntries(words.map(([field, value]) => [`update-${field}`, value])),
    },
    shown: [
      ['What happened now', what],
      ['Where', where],
      ['What people should do now', actions],
      ...words.map(([field, value]): [string, string] => [`${field.replace('-', ': ')}`, value]),
    ],
    next: `/send/alerts/${alertId}`,
    nothingDone: followUpNothingDone(v.type),
  };
}

/** An alert page's close form, kept. */
export function keptCloseForm(alertId: string, reason: string): KeptForm {
  return {
    action: `/send/alerts/${alertId}/close`,
    fields: { reason },
    shown: [['Reason', reason]],
    next: `/send/alerts/${alertId}`,
    nothingDone: 'The alert was not closed',
  };
}
