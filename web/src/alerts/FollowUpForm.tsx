import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AllClearPreview } from '../../../src/alerts/all-clear-preview.schema';
import { api, errorMessage } from '../api/client';
import type { AlertStatus } from './alert-types';
import { channelWords, wordFor } from './alert-words';

type FollowUpType = 'update' | 'all_clear';
interface Draft {
  type: FollowUpType;
  what: string;
  where: string;
  actions: string;
}
const empty: Draft = { type: 'update', what: '', where: '', actions: '' };
const typeWords: Record<FollowUpType, string> = { update: 'update', all_clear: 'all-clear' };

/** The body POST …/updates takes: only the fields the operator filled in. */
function bodyOf(d: Draft) {
  const trimmed = (s: string) => (s.trim() ? s.trim() : undefined);
  return { type: d.type, what: trimmed(d.what), where: trimmed(d.where), actions: trimmed(d.actions) };
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
              <dt>Text message ({l.sms.segments === 1 ? '1 segment' : `${l.sms.segments} segments`})</dt>
              <dd className="al-sms">{l.sms.text}</dd>
            </>
          )}
          {channels.has('email') && (
            <>
              <dt>Email subject</dt>
              <dd>{l.email.subject}</dd>
            </>
          )}
          {channels.has('voice') && (
            <>
              <dt>Voice call</dt>
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

  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
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
              <dt>What</dt>
              <dd>{body.what ?? 'unchanged'}</dd>
              <dt>Where</dt>
              <dd>{body.where ?? 'unchanged'}</dd>
              <dt>Actions</dt>
              <dd>{body.actions ?? 'unchanged'}</dd>
            </dl>
          )}
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
