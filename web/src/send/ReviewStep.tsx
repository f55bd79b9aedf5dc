import { useEffect, useRef } from 'react';
import { audienceOf, inChannelOrder, needsReview, placeText, sentWords, type Draft } from './draft';
import { Previews } from './Previews';
import { ReachEstimate } from './ReachEstimate';
import { ScheduleSend } from './ScheduleSend';
import type { AlertPreview, SendOptions, TemplateVersion } from './send-types';

interface Props {
  draft: Draft;
  template: TemplateVersion;
  options: SendOptions;
  preview: AlertPreview | null;
  previewLoading: boolean;
  previewError: string | null;
  sending: boolean;
  error: string | null;
  onSend: () => void;
  onBack: () => void;
}

function when(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toLocaleString();
}

/** Every language's what, where and actions as they will be sent. */
function LanguageWords({ draft, options }: { draft: Draft; options: SendOptions }) {
  const primary = options.languages.find((l) => l.primary);
  const sent = sentWords(draft);
  const rows = [
    { code: primary?.code ?? 'en', name: primary?.name ?? 'Primary language', words: draft, note: null },
    ...Object.keys(draft.languages).map((code) => {
      const name = options.languages.find((l) => l.code === code)?.name ?? code;
      return {
        code,
        name,
        words: sent[code]!,
        note: needsReview(draft, code)
          ? `Not reviewed after the ${primary?.name ?? 'primary'} words changed: ${name} readers are told the details are in ${primary?.name ?? 'the primary language'}, then get the ${primary?.name ?? 'primary'} words.`
          : null,
      };
    }),
  ];
  return (
    <>
      <h2>The words, in every language</h2>
      {rows.map((row) => (
        <section key={row.code} className="review-words" aria-label={`${row.name} words`}>
          <h3>{row.name}</h3>
          {row.note && (
            <p className="warning" role="note">
              {row.note}
            </p>
          )}
          <dl className="summary" lang={row.code}>
            <dt>What</dt>
            <dd>{row.words.what.trim()}</dd>
            <dt>Where</dt>
            <dd>{row.words.where.trim()}</dd>
            <dt>Actions</dt>
            <dd>{row.words.actions.trim()}</dd>
          </dl>
        </section>
      ))}
    </>
  );
}

/** The last look: exactly what goes out, to whom and how many, the record, then Send. */
export function ReviewStep(props: Props) {
  const { draft, options, preview } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const kind = options.kinds.find((k) => k.kind === draft.kind);
  const label = (c: string) => options.channels.find((x) => x.channel === c)?.label ?? c;
  const audience = draft.everyone ? 'Everyone on campus' : draft.places.map(placeText).join('; ');
  const delay = options.delayReasons.find((r) => r.reason === draft.delayReason);
  return (
    <section className="review">
      <h1 tabIndex={-1} ref={heading}>
        Review and send
      </h1>
      <p className={`kind-banner banner-${draft.kind}`}>
        {kind?.label ?? draft.kind}: {props.template.name}
      </p>
      <dl className="summary">
        <dt>Who receives it</dt>
        <dd>{audience}</dd>
        <dt>Why this audience</dt>
        <dd>{draft.audienceReason}</dd>
        <dt>Where, in the message</dt>
        <dd>{draft.where}</dd>
        <dt>Channels</dt>
        <dd>{inChannelOrder(options, draft.channels).map(label).join(', ')}</dd>
        <dt>Answers</dt>
        <dd>{draft.acknowledgementRequested ? 'Asked: 1 if safe, 2 if they need help' : 'Not asked'}</dd>
        <dt>Confirmed</dt>
        <dd>
          {[draft.confirmedBy, draft.confirmationSource, when(draft.confirmedAt)].filter(Boolean).join(' · ')}
        </dd>
        {delay && (
          <>
            <dt>Why it waited</dt>
            <dd>
              {delay.label} (decided by {draft.delayDecidedBy})
            </dd>
          </>
        )}
        {(draft.kind === 'test' || draft.kind === 'exercise') && (
          <>
            <dt>Announced beforehand</dt>
            <dd>{draft.announced ? 'Yes' : 'No'}</dd>
          </>
        )}
      </dl>
      <ReachEstimate
        audience={audienceOf(draft)}
        channels={inChannelOrder(options, draft.channels)}
        options={options}
      />
      <LanguageWords draft={draft} options={options} />
      <h2>What goes out</h2>
      <Previews preview={preview} loading={props.previewLoading} error={props.previewError} />
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="action-row send-row">
        <button
          type="button"
          className={draft.kind === 'emergency' ? 'danger big' : 'primary big'}
          aria-disabled={props.sending || undefined}
          onClick={() => {
            if (!props.sending) props.onSend();
          }}
        >
          {props.sending ? 'Sending…' : `Send ${kind?.label.toLowerCase() ?? draft.kind} alert now`}
        </button>
        <button type="button" onClick={props.onBack} disabled={props.sending}>
          Back to edit
        </button>
      </div>
      {(draft.kind === 'test' || draft.kind === 'exercise') && <ScheduleSend draft={draft} />}
    </section>
  );
}
