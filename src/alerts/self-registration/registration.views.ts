import type { Static } from 'typebox';
import type { AppError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Profile } from '../../platform/profile.js';
import { csrfInput, messageBox, textField } from './registration.layout.js';
import { fieldProblems, localMessage, type FormBody } from './registration-page-support.js';
import { pageText } from './registration-page-text.js';
import type { RegistrationStatus } from './registration-status.js';
import type { RegistrationChannel } from './self-registration.tables.js';

export type RegistrationForm = Static<typeof FormBody>;

/** Whether a posted checkbox is ticked. */
export const checked = (value: string | undefined) => ['yes', 'on', 'true', '1'].includes(value ?? '');

const languageNames: Record<string, string> = { en: 'English', es: 'Español' };

/** The registration form, with the values given back and each problem next to its field. */
export function registrationFormView(
  profile: Profile,
  view: { language: string; values: RegistrationForm; failure: AppError | null; csrf: string | null },
): SafeHtml {
  const { language, values, failure, csrf } = view;
  const program = profile.institution.alertProgramName;
  const t = pageText(language);
  const errors = failure?.code === 'validation' ? fieldProblems(t, failure) : {};
  const fields = Object.keys(errors);
  const summary =
    fields.length > 0
      ? html`<div class="error" role="alert">
          <p>${t.errorSummary}</p>
          <ul>
            ${fields.map((f) => html`<li><a href="#${f}">${errors[f]}</a></li>`)}
          </ul>
        </div>`
      : messageBox('error', failure ? localMessage(t, language, failure) : null);
  const chosen = values.language ?? language;
  const field = { errorPrefix: t.errorPrefix };
  return html`<p>${t.register.intro(program, profile.institution.name)}</p>
    ${summary}
    <form method="post" action="/register?lang=${language}" novalidate>
      ${csrfInput(csrf)}
      ${textField({ ...field, id: 'name', label: t.register.name, value: values.name, error: errors.name, autocomplete: 'name', required: true })}
      ${textField({ ...field, id: 'phone', label: t.register.phone, value: values.phone, hint: t.register.phoneHint, error: errors.phone, type: 'tel', autocomplete: 'tel' })}
      ${textField({ ...field, id: 'email', label: t.register.email, value: values.email, hint: t.register.emailHint, error: errors.email, type: 'email', autocomplete: 'email' })}
      <label for="language">${t.register.language}</label>
      ${errors.language ? html`<p class="field-error" id="language-error">${t.errorPrefix} ${errors.language}</p>` : ''}
      <select id="language" name="language" ${errors.language ? html`aria-describedby="language-error"` : ''}>
        ${profile.alerts.languages.map(
          (l) =>
            html`<option value="${l}" ${l === chosen ? html`selected` : ''}>
              ${languageNames[l] ?? l}
            </option>`,
        )}
      </select>
      ${errors.consent ? html`<p class="field-error" id="consent-error">${t.errorPrefix} ${errors.consent}</p>` : ''}
      <div class="check">
        <input
          type="checkbox"
          id="consent"
          name="consent"
          value="yes"
          aria-describedby="consent-hint${errors.consent ? ' consent-error' : ''}"
          ${errors.consent ? html`aria-invalid="true"` : ''}
          ${checked(values.consent) ? html`checked` : ''}
        />
        <label for="consent">${t.register.consent(program)}</label>
      </div>
      <p class="hint" id="consent-hint">${t.register.consentHint}</p>
      <button type="submit">${t.register.submit}</button>
    </form>`;
}

/** A registration's addresses: confirmed ones, the code form for a mobile, the resend buttons. */
export function registrationStatusView(
  program: string,
  view: {
    status: RegistrationStatus;
    language: string;
    banner: { kind: 'error' | 'note'; text: string } | null;
    codeError: string | null;
    csrf: string | null;
  },
): SafeHtml {
  const { status, language, banner, codeError, csrf } = view;
  const t = pageText(language);
  const path = `/register/${status.registrationId}`;
  const csrfField = csrfInput(csrf);
  const resend = (channel: RegistrationChannel, label: string) =>
    html`<form method="post" action="${path}/resend?lang=${language}">
      ${csrfField}<input type="hidden" name="channel" value="${channel}" />
      <button type="submit" class="secondary">${label}</button>
    </form>`;
  const sections = status.addresses.map((a) => {
    if (a.state === 'verified') return messageBox('done', t.status.verified(a.maskedAddress));
    if (a.state === 'cancelled') return messageBox('note', t.status.cancelled(a.maskedAddress));
    if (a.channel === 'email')
      return html`<section>
        <p>${t.status.linkSent(a.maskedAddress)}</p>
        ${resend('email', t.status.newLink)}
      </section>`;
    const stateError = a.state === 'locked' || a.state === 'expired' ? t.reasons[a.state] : undefined;
    return html`<section>
      <p>${t.status.codeSent(a.maskedAddress)}</p>
      <form method="post" action="${path}/code?lang=${language}" novalidate>
        ${csrfField}
        ${textField({
          id: 'code',
          label: t.status.code,
          hint: t.status.codeHint,
          error: codeError ?? stateError,
          errorPrefix: t.errorPrefix,
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          required: true,
        })}
        <button type="submit">${t.status.verify}</button>
      </form>
      ${resend('sms', t.status.newCode)}
    </section>`;
  });
  const registered = status.addresses.some((a) => a.state === 'verified');
  return html`${banner ? messageBox(banner.kind, banner.text) : ''} ${sections}
  ${registered ? messageBox('done', t.status.registered(program)) : ''}`;
}
