import { useEffect, useRef, useState, type FormEvent } from 'react';
import { plural } from '../common/format';
import type { AllClearPreview } from '../../../src/alerts/all-clear-preview.schema';
import type { SendOptions } from '../../../src/alerts/send-flow.schema';
import { api, errorMessage } from '../api/client';
import { useApi } from '../api/use-api';
import type { AlertStatus } from './alert-types';
import { channelWords, wordFor } from './alert-words';

type FollowUpType = 'update' | 'all_clear';
type Part = 'what' | 'where' | 'actions';
type Words = Record<Part, string>;
interface Draft extends Words {
  type: FollowUpType;
  /** The other languages' words, by code: empty until the operator writes them (never the earlier words). */
  translations: Record<string, Words>;
}
const empty: Draft = { type: 'update', what: '', where: '', actions: '', translations: {} };
const typeWords: Record<FollowUpType, string> = { update: 'update', all_clear: 'all-clear' };
const parts: { part: Part; label: string; max: number }[] = [
  { part: 'what', label: 'What', max: 300 },
  { part: 'where', label: 'Where', max: 200 },
  { part: 'actions', label: 'Actions', max: 400 },
];
const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

/** The body POST …/updates takes: only the fields the operator filled in, a language only if written. */
function bodyOf(d: Draft) {
  const written = Object.entries(d.translations).flatMap(([code, w]) => {
    const words = { what: trimmed(w.what), where: trimmed(w.where), actions: trimmed(w.actions) };
    return words.what || words.where || words.actions ? [[code, words] as const] : [];
  });
  return {
    type: d.type,
    what: trimmed(d.what),
    where: trimmed(d.where),
    actions: trimmed(d.actions),
    translations: written.length > 0 ? Object.fromEntries(written) : undefined,
  };
}

/** The all-clear's words as each language and channel will send them (the server's preview). */
function AllClearWords({ preview }: { preview: AllClearPreview }) {
  const channels = new Set(preview.channels);
  return (
    <>
      {preview.languages.map((l) => (
        <dl className="al-text" key={l.language} lang={l.language}>
          {preview.languages.length > 1 && <dt className="al-language">{l.languageName}</dt>}
          <dt>What</dt>
          <dd>{l.what}</dd>
          <dt>Where</dt>
          <dd>{l.where}</dd>
          <dt>Actions</dt>
          <dd>{l.actions}</dd>
          {channels.has('sms') && (
            <>
              <dt>Text message ({plural(l.sms.segments, 'segment')})</dt>
              <dd className="al-sms">{l.sms.text}</dd>
            </>
          )}
          {channels.has('email') && (
            <>
              <dt>Email subject</dt>
              <dd>{l.email.subject}</dd>
            </>
          )}
          {(channels.has('voice') || channels.has('office_phones')) && (
            <>
              <dt>Voice call{channels.has('office_phones') ? ' (and office phones)' : ''}</dt>
              <dd>{l.voice.text}</dd>
            </>
          )}
        </dl>
      ))}
    </>
  );
}

/**
 * An update or the all-clear to the alert's audience: write it, review it, then send. The message
 * appears in the timeline and its deliveries in the progress once the server has it.
 */
export function FollowUpForm({
  alert,
  onSent,
  initialType = 'update',
}: {
  alert: AlertStatus;
  onSent: (words: string) => void;
  /** What the form starts on (the start page's "Send the all-clear" opens it on the all-clear). */
  initialType?: FollowUpType;
}) {
  const [draft, setDraft] = useState<Draft>({ ...empty, type: initialType });
  const [step, setStep] = useState<'write' | 'confirm'>('write');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [preview, setPreview] = useState<AllClearPreview | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    if (!moved.current) return;
    if (step === 'confirm') confirmHeading.current?.focus();
    else firstField.current?.focus();
  }, [step]);

  const options = useApi<SendOptions>('/api/v1/alerts/send-options');
  const languages = options.data?.languages ?? [];
  const primaryName = languages.find((l) => l.primary)?.name ?? 'primary language';
  const others = languages.filter((l) => !l.primary);
  const set = (field: Exclude<keyof Draft, 'translations'>) => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const setWords = (code: string, part: Part, value: string) =>
    setDraft((d) => ({
      ...d,
      translations: {
        ...d.translations,
        [code]: { ...(d.translations[code] ?? { what: '', where: '', actions: '' }), [part]: value },
      },
    }));
  const go = (next: 'write' | 'confirm') => {
    moved.current = true;
    setStep(next);
  };
  const review = async (event: FormEvent) => {
    event.preventDefault();
    const { type, ...words } = bodyOf(draft);
    if (type === 'update' && !words.what && !words.where && !words.actions) {
      setError('Say what changed: fill in what, where or actions.');
      return;
    }
    setError(null);
    setPreview(null);
    if (type === 'all_clear') {
      // The review shows the words people will get, rendered by the server as the delivery will.
      try {
        setPreview(
          await api<AllClearPreview>(`/api/v1/alerts/${alert.id}/all-clear/preview`, { body: words }),
        );
      } catch (e) {
        setError(errorMessage(e));
        return;
      }
    }
    go('confirm');
  };
  const send = async () => {
    setSending(true);
    setError(null);
    try {
      const sent = await api<{ messageId: string; sequence: number }>(`/api/v1/alerts/${alert.id}/updates`, {
        body: bodyOf(draft),
      });
      const words = draft.type === 'all_clear' ? 'All-clear sent.' : `Update ${sent.sequence} sent.`;
      setDraft(empty);
      // The dashboard moves focus to its notice of what was sent, not back into an empty form.
      moved.current = false;
      setStep('write');
      onSent(`${words} Its deliveries appear under Delivery as they go out.`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  const kind = typeWords[draft.type];
  const body = bodyOf(draft);
  return (
    <section aria-labelledby="al-follow-up">
      <h2 id="al-follow-up">Send an update or the all-clear</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {step === 'write' ? (
        <form onSubmit={(e) => void review(e)} noValidate>
          <fieldset className="al-choice">
            <legend>What to send</legend>
            {(['update', 'all_clear'] as const).map((t) => (
              <label key={t}>
                <input
                  type="radio"
                  name="follow-up-type"
                  value={t}
                  checked={draft.type === t}
                  onChange={() => set('type')(t)}
                />
                {t === 'update' ? 'An update' : 'The all-clear'}
              </label>
            ))}
          </fieldset>
          <p className="al-hint" id="al-follow-up-hint">
            {draft.type === 'update'
              ? 'Fill in what changed; empty fields keep the current words.'
              : 'Empty fields use the all-clear’s own words (where stays the same); the review shows them.'}
          </p>
          <label htmlFor="al-fu-what">What</label>
          <input
            id="al-fu-what"
            ref={firstField}
            value={draft.what}
            maxLength={300}
            aria-describedby="al-follow-up-hint"
            onChange={(e) => set('what')(e.target.value)}
          />
          <label htmlFor="al-fu-where">Where</label>
          <input
            id="al-fu-where"
            value={draft.where}
            maxLength={200}
            onChange={(e) => set('where')(e.target.value)}
          />
          <label htmlFor="al-fu-actions">Actions</label>
          <textarea
            id="al-fu-actions"
            value={draft.actions}
            maxLength={400}
            onChange={(e) => set('actions')(e.target.value)}
          />
          {others.map((l) => (
            <fieldset key={l.code} className="al-language-words" aria-describedby={`al-fu-${l.code}-hint`}>
              <legend>In {l.name}</legend>
              <p className="al-hint" id={`al-fu-${l.code}-hint`}>
                Left empty, {l.name} readers are told “<span lang={l.code}>{l.detailsInPrimaryLanguage}</span>
                ” and get the {primaryName} words.{' '}
                {draft.type === 'update'
                  ? `Write what changed in ${l.name}; its empty fields then keep the current ${l.name} words.`
                  : `Write the ${l.name} words; its empty fields then keep the all-clear’s own ${l.name} words.`}
              </p>
              {parts.map(({ part, label, max }) => {
                const id = `al-fu-${l.code}-${part}`;
                const props = {
                  id,
                  lang: l.code,
                  value: draft.translations[l.code]?.[part] ?? '',
                  maxLength: max,
                  onChange: (e: { target: { value: string } }) => setWords(l.code, part, e.target.value),
                };
                return (
                  <div key={part}>
                    <label htmlFor={id}>
                      {label}, in {l.name}
                    </label>
                    {part === 'actions' ? <textarea {...props} /> : <input {...props} />}
                  </div>
                );
              })}
            </fieldset>
          ))}
          <div>
            <button type="submit" className="primary">
              Review the {kind}
            </button>
          </div>
        </form>
      ) : (
        <div className="al-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Send this {kind} now?
          </h3>
          <p>
            It goes to everyone the alert reached, by{' '}
            {alert.channels.map((c) => wordFor(channelWords, c)).join(', ')}.
          </p>
          {draft.type === 'all_clear' && preview ? (
            <AllClearWords preview={preview} />
          ) : (
            <dl className="al-text">
              {others.length > 0 && <dt className="al-language">{primaryName}</dt>}
              <dt>What</dt>
              <dd>{body.what ?? 'unchanged'}</dd>
              <dt>Where</dt>
              <dd>{body.where ?? 'unchanged'}</dd>
              <dt>Actions</dt>
              <dd>{body.actions ?? 'unchanged'}</dd>
            </dl>
          )}
          {draft.type === 'update' &&
            others.map((l) => {
              const own = body.translations?.[l.code];
              return (
                <dl className="al-text" key={l.code} lang={l.code} aria-label={`${l.name} words`}>
                  <dt className="al-language">{l.name}</dt>
                  {own ? (
                    <>
                      <dt>What</dt>
                      <dd>{own.what ?? 'unchanged'}</dd>
                      <dt>Where</dt>
                      <dd>{own.where ?? 'unchanged'}</dd>
                      <dt>Actions</dt>
                      <dd>{own.actions ?? 'unchanged'}</dd>
                    </>
                  ) : (
                    <>
                      <dt>What</dt>
                      <dd>
                        {l.detailsInPrimaryLanguage} {body.what ?? ''}
                      </dd>
                      <dd lang="en">then the {primaryName} where and actions</dd>
                    </>
                  )}
                </dl>
              );
            })}
          <button type="button" className="danger" disabled={sending} onClick={() => void send()}>
            {sending ? 'Sending…' : `Send the ${kind} now`}
          </button>
          <button type="button" disabled={sending} onClick={() => go('write')}>
            Change it
          </button>
        </div>
      )}
    </section>
  );
}
