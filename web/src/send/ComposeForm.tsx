import type { ReactNode } from 'react';
import { audienceOf, keepLanguageWords, kindsFor, needsReview, withLanguageWords, type Draft } from './draft';
import { EmergencyFacts } from './EmergencyFacts';
import { FieldError, describedBy } from './FieldError';
import { LocationCombobox } from './LocationCombobox';
import { MapChoice } from '../map/MapDisclosure';
import { ReachEstimate } from './ReachEstimate';
import type { AlertKind, SendOptions, TemplateVersion } from './send-types';

interface Props {
  draft: Draft;
  template: TemplateVersion;
  options: SendOptions;
  late: boolean;
  errors: Record<string, string>;
  onChange: (patch: Partial<Draft>) => void;
  onKind: (kind: AlertKind) => void;
  previews: ReactNode;
  onReview: () => void;
  reviewing: boolean;
  onPicking: (picking: boolean) => void;
}

function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  multiline?: boolean;
  /** The language the words are in, when not the console's. */
  lang?: string;
  onChange: (value: string) => void;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const describe = [hintId, describedBy(props.id, props.error)].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describe,
    lang: props.lang,
  };
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <FieldError id={props.id} message={props.error} />
      {props.multiline ? (
        <textarea {...common} rows={2} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" autoComplete="off" onChange={(e) => props.onChange(e.target.value)} />
      )}
    </>
  );
}

/** The compose step: kind, audience and where, the words, channels, the record, and the previews beside. */
export function ComposeForm(props: Props) {
  const { draft, template, options, errors, onChange } = props;
  const kinds = kindsFor(options, template.hazard);
  const primary = options.languages.find((l) => l.primary);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onReview();
      }}
    >
      <div className="compose-grid">
        <div className="compose-fields">
          <fieldset
            id="kind-choice"
            className="kinds"
            aria-describedby={describedBy('kind-choice', errors.kind)}
          >
            <legend>Kind of alert</legend>
            <FieldError id="kind-choice" message={errors.kind} />
            {kinds.map((kind) => {
              const k = options.kinds.find((x) => x.kind === kind)!;
              return (
                <label key={kind} className="kind-option">
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={draft.kind === kind}
                    onChange={() => props.onKind(kind)}
                  />
                  <span>
                    <span className="kind-label">{k.label}</span>{' '}
                    <span className="kind-description">{k.description}</span>
                  </span>
                </label>
              );
            })}
          </fieldset>

          <LocationCombobox
            places={draft.places}
            everyone={draft.everyone}
            error={errors.audience}
            onAdd={(place) => onChange({ places: [...draft.places, place] })}
            onEveryone={() => onChange({ everyone: true })}
            onRemove={(code) => onChange({ places: draft.places.filter((p) => p.code !== code) })}
            onRemoveEveryone={() => onChange({ everyone: false })}
            onPicking={props.onPicking}
          />
          <MapChoice
            places={draft.places}
            everyone={draft.everyone}
            onPlaces={(places) => onChange({ places })}
          />
          <ReachEstimate
            audience={draft.everyone || draft.places.length > 0 ? audienceOf(draft) : null}
            channels={draft.channels}
            options={options}
          />
          <TextField
            id="where-text"
            label="Where, in the message"
            hint="Filled in from your choice; change it if the message should say it differently."
            value={draft.where}
            error={errors.where}
            multiline
            onChange={(where) => onChange({ where, whereEdited: true })}
          />
          <TextField
            id="audience-reason"
            label="Why this audience"
            value={draft.audienceReason}
            error={errors.audienceReason}
            multiline
            onChange={(audienceReason) => onChange({ audienceReason, reasonEdited: true })}
          />
          <TextField
            id="what"
            label="What is happening"
            value={draft.what}
            error={errors.what}
            multiline
            onChange={(what) => onChange({ what })}
          />
          <TextField
            id="actions"
            label="What people should do"
            value={draft.actions}
            error={errors.actions}
            multiline
            onChange={(actions) => onChange({ actions })}
          />
          {Object.entries(draft.languages).map(([code, words]) => {
            const name = options.languages.find((l) => l.code === code)?.name ?? code;
            const stale = needsReview(draft, code);
            const field = (part: 'what' | 'where' | 'actions') => ({
              id: `${code}-${part}`,
              value: words[part],
              error: errors[`translations.${code}.${part}`],
              multiline: true,
              lang: code,
              onChange: (value: string) => onChange(withLanguageWords(draft, code, { [part]: value })),
            });
            return (
              <fieldset key={code} id={`words-${code}`} className="language-words">
                <legend>In {name}</legend>
                {stale && (
                  <div className="warning" role="note" id={`${code}-review`}>
                    <p>
                      <strong>Needs review:</strong> you changed the {primary?.name ?? 'primary'} words. As it
                      stands, {name} readers get “<span lang={code}>{words.detailsSentence}</span>” and then
                      the {primary?.name ?? 'primary'} words. Write the {name} words below, or keep them if
                      they still say the same.
                    </p>
                    <button type="button" onClick={() => onChange(keepLanguageWords(draft, code))}>
                      Keep these {name} words
                    </button>
                  </div>
                )}
                <TextField {...field('what')} label={`What, in ${name}`} />
                <TextField {...field('where')} label={`Where, in ${name}`} />
                <TextField {...field('actions')} label={`Actions, in ${name}`} />
              </fieldset>
            );
          })}

          <fieldset
            id="channels"
            className="channels"
            aria-describedby={describedBy('channels', errors.channels)}
          >
            <legend>Channels</legend>
            <FieldError id="channels" message={errors.channels} />
            <div className="channel-grid">
              {options.channels.map((c) => (
                <label key={c.channel} className="check">
                  <input
                    type="checkbox"
                    checked={draft.channels.includes(c.channel)}
                    onChange={(e) =>
                      onChange({
                        channelsEdited: true,
                        channels: e.target.checked
                          ? options.channels
                              .map((x) => x.channel)
                              .filter((x) => x === c.channel || draft.channels.includes(x))
                          : draft.channels.filter((x) => x !== c.channel),
                      })
                    }
                  />
                  {c.label}
                </label>
              ))}
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.acknowledgementRequested}
                onChange={(e) => onChange({ acknowledgementRequested: e.target.checked })}
              />
              Ask people to answer: 1 if safe, 2 if they need help
            </label>
          </fieldset>

          <EmergencyFacts
            draft={draft}
            options={options}
            late={props.late}
            errors={errors}
            onChange={onChange}
          />

          <div className="action-row">
            <button type="submit" className="primary big" disabled={props.reviewing}>
              {props.reviewing ? 'Checking…' : 'Review before sending'}
            </button>
          </div>
        </div>
        <section className="compose-previews" aria-labelledby="previews-title">
          <h2 id="previews-title">Previews</h2>
          {props.previews}
        </section>
      </div>
    </form>
  );
}
