import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Profile } from '../../platform/profile.js';
import type { AlertKind } from '../alerts.tables.js';
import { profileKindOf } from '../send-alert.policy.js';
import {
  affiliationLabels,
  channelLabels,
  delayReasonLabels,
  kindChoice,
  kindLabels,
} from './break-glass.labels.js';
import {
  choiceField,
  csrfInput,
  errorSummary,
  messageBox,
  selectField,
  textField,
} from './break-glass.layout.js';
import type { FormTemplate } from './break-glass.queries.js';
import { isLocalInputValue } from './local-time.js';
import { languageName } from '../send-options.js';
import {
  audienceAffiliations,
  type FieldProblems,
  sendFormFieldOrder,
  type SendFormValues,
} from './send-form.js';

export interface SendFormView {
  profile: Profile;
  templates: FormTemplate[];
  kinds: readonly AlertKind[];
  values: SendFormValues;
  problems: FieldProblems;
  /** A refusal that names no field (shown at the top). */
  message: string | null;
  csrfToken: string;
}

/** The plain send form: every field, the values given back, each problem at its field and on top. */
export function sendFormView(view: SendFormView): SafeHtml {
  const { values, problems } = view;
  const summary = sendFormFieldOrder(view.profile.alerts.languages).flatMap((f) =>
    problems[f] ? [{ id: f, message: problems[f]! }] : [],
  );
  return html`<p>
      For when the console does not load. Every field works without JavaScript; the alert goes out the moment
      you press <strong>Send alert now</strong>.
    </p>
    ${errorSummary(summary)} ${messageBox('error', view.message)}
    <form method="post" action="/send" novalidate>
      ${csrfInput(view.csrfToken)} ${templateFields(view)} ${kindField(view)}
      ${textField({
        id: 'where',
        label: 'Where',
        value: values.where,
        hint: 'In words, for example "Building W20, the Student Center".',
        error: problems.where,
        required: true,
      })}
      ${audienceFields(view)} ${wordsFields(view)}
      ${choiceField({
        name: 'channels',
        legend: 'Channels',
        type: 'checkbox',
        choices: view.profile.alerts.channels.map((c) => ({ value: c, label: channelLabels[c] ?? c })),
        chosen: values.channels,
        hint: channelsHint(view),
        error: problems.channels,
      })}
      ${recordFields(view)}
      <button type="submit">Send alert now</button>
    </form>`;
}

/** What the profile leaves out for the kinds on offer (the console unticks them when the kind is chosen). */
function channelsHint({ profile, kinds }: SendFormView): string | undefined {
  const notes = kinds.flatMap((kind) => {
    const defaults = profile.alerts.kinds[profileKindOf(kind)].defaultChannels;
    const left = defaults ? profile.alerts.channels.filter((c) => !defaults.includes(c)) : [];
    if (left.length === 0 || kind === 'exercise') return [];
    const name = kindLabels[kind].toLowerCase();
    const without = left.map((c) => (channelLabels[c] ?? c).toLowerCase()).join(', ');
    return [`${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} goes without ${without}`];
  });
  return notes.length ? `Untick what this alert should not use: ${notes.join('; ')}.` : undefined;
}

function templateFields({ templates, values, problems }: SendFormView): SafeHtml {
  return html`${selectField({
      id: 'templateId',
      label: 'Template',
      hint: 'Most used first.',
      options: [
        { value: '', label: 'Choose a template' },
        ...templates.map((t) => ({ value: t.id, label: t.name })),
      ],
      value: values.templateId,
      error: problems.templateId,
    })}
    <details>
      <summary>What each template says</summary>
      <dl>
        ${templates.map(
          (t) =>
            html`<dt>${t.name}</dt>
              <dd>${t.what} ${t.actions}</dd>`,
        )}
      </dl>
    </details>`;
}

function kindField({ profile, kinds, values, problems }: SendFormView): SafeHtml {
  return choiceField({
    name: 'kind',
    legend: 'Kind of alert',
    type: 'radio',
    choices: kinds.map((k) => ({ value: k, ...kindChoice(profile, k) })),
    chosen: [values.kind],
    hint: kinds.includes('test') ? 'A test or exercise is marked [TEST] in every message.' : undefined,
    error: problems.kind,
  });
}

function audienceFields({ values, problems }: SendFormView): SafeHtml {
  const radio = (value: string, label: string) =>
    html`<div class="choice">
      <input
        type="radio"
        id="audience-${value}"
        name="audience"
        value="${value}"
        ${values.audience === value ? html`checked` : ''}
      />
      <label for="audience-${value}">${label}</label>
    </div>`;
  return html`<fieldset id="audience" ${problems.audience ? html`aria-describedby="audience-error"` : ''}>
      <legend>Who gets it</legend>
      ${problems.audience ? html`<p class="field-error" id="audience-error">Error: ${problems.audience}</p>` : ''}
      ${radio('everyone', 'Everyone on campus')} ${radio('locations', 'People in buildings or zones')}
      ${textField({
        id: 'locationCodes',
        label: 'Building and zone codes',
        value: values.locationCodes,
        hint: 'Separated by commas, like W20, N52. Their people are those who work or live there.',
        error: problems.locationCodes,
      })}
      ${radio('affiliations', 'People by affiliation')}
      ${choiceField({
        name: 'affiliations',
        legend: 'Affiliations',
        type: 'checkbox',
        choices: audienceAffiliations.map((a) => ({ value: a, label: affiliationLabels[a] ?? a })),
        chosen: values.affiliations,
        error: problems.affiliations,
      })}
    </fieldset>
    ${textField({
      id: 'audienceReason',
      label: 'Why this audience (optional)',
      value: values.audienceReason,
      hint: 'Recorded with the alert. Left empty, the record says which audience you chose.',
      error: problems.audienceReason,
    })}`;
}

function wordsFields({ profile, templates, values, problems }: SendFormView): SafeHtml {
  const chosen = templates.find((t) => t.id === values.templateId);
  const hint = (field: 'what' | 'actions') =>
    chosen
      ? `Leave empty for the template's words: "${chosen[field]}"`
      : "Leave empty for the template's words.";
  return html`${textField({
    id: 'what',
    label: 'What happened (optional)',
    value: values.what,
    hint: hint('what'),
    error: problems.what,
    multiline: true,
  })}
  ${textField({
    id: 'actions',
    label: 'What people should do (optional)',
    value: values.actions,
    hint: hint('actions'),
    error: problems.actions,
    multiline: true,
  })}
  ${profile.alerts.languages.slice(1).map((language) => languageFields(profile, language, values, problems))}`;
}

/** Another language's words: optional, each field falling back as its hint says. */
function languageFields(
  profile: Profile,
  language: string,
  values: SendFormValues,
  problems: FieldProblems,
): SafeHtml {
  const name = languageName(language);
  const primary = languageName(profile.alerts.languages[0]!);
  const sentence = profile.alerts.detailsInPrimaryLanguage[language] ?? '';
  const typed = values.translations[language];
  const field = (part: 'what' | 'where' | 'actions', label: string, multiline: boolean) =>
    textField({
      id: `${language}-${part}`,
      label,
      value: typed?.[part] ?? '',
      error: problems[`${language}-${part}`],
      multiline,
    });
  return html`<fieldset id="words-${language}" aria-describedby="words-${language}-hint">
    <legend>In ${name} (optional)</legend>
    <p class="hint" id="words-${language}-hint">
      Left empty, ${name} readers get the template's ${name} words; but if you wrote your own what or actions
      above, they are told "<span lang="${language}">${sentence}</span>" and get your ${primary} words
      instead. A ${name} field left empty among written ones keeps the template's ${name} words.
    </p>
    ${field('what', `What happened, in ${name}`, true)} ${field('where', `Where, in ${name}`, false)}
    ${field('actions', `What people should do, in ${name}`, true)}
  </fieldset>`;
}

function recordFields({ profile, values, problems }: SendFormView): SafeHtml {
  const threshold = profile.alerts.initiationDelayThresholdMinutes;
  const zone = profile.institution.timezone;
  return html`<fieldset id="record">
    <legend>Emergency-notification record</legend>
    <p class="hint">
      Needed for an emergency (the Clery Act). The delay reason only when more than ${threshold} minutes
      passed between the confirmation and now.
    </p>
    ${textField({ id: 'confirmedBy', label: 'Confirmed by', value: values.confirmedBy, error: problems.confirmedBy })}
    ${textField({
      id: 'confirmationSource',
      label: 'Source of the confirmation',
      value: values.confirmationSource,
      hint: profile.alerts.confirmationSources.length
        ? 'Type it, or pick a suggestion as you type.'
        : 'For example "Police officer on scene".',
      error: problems.confirmationSource,
      list: profile.alerts.confirmationSources.length ? 'confirmation-sources' : undefined,
    })}
    ${
      profile.alerts.confirmationSources.length
        ? html`<datalist id="confirmation-sources">
            ${profile.alerts.confirmationSources.map((source) => html`<option value="${source}"></option>`)}
          </datalist>`
        : ''
    }
    ${textField({
      id: 'confirmedAt',
      label: 'Confirmed at',
      // A value a datetime-local field cannot show is given back as text, so nothing typed is lost.
      type: values.confirmedAt === '' || isLocalInputValue(values.confirmedAt) ? 'datetime-local' : 'text',
      value: values.confirmedAt,
      hint: `Local time (${zone}), like 2026-03-14 09:26.`,
      error: problems.confirmedAt,
    })}
    ${selectField({
      id: 'delayReason',
      label: `Why sending waited more than ${threshold} minutes`,
      options: [
        { value: '', label: 'It did not wait' },
        ...profile.alerts.delayReasons.map((r) => ({ value: r, label: delayReasonLabels[r] ?? r })),
      ],
      value: values.delayReason,
      error: problems.delayReason,
    })}
    ${textField({
      id: 'delayDecidedBy',
      label: 'Who decided to wait',
      value: values.delayDecidedBy,
      error: problems.delayDecidedBy,
    })}
  </fieldset>`;
}
