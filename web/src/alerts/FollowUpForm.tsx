import { useEffect, useRef, useState, type FormEvent } from 'react';
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
  const review = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(draft);
    if (draft.type === 'update' && !body.what && !body.where && !body.actions) {
      setError('Say what changed: fill in what, where or actions.');
      return;
    }
    setError(null);
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
        <form onSubmit={review} noValidate>
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
              : 'Empty fields use the all-clear template’s words (where stays the same).'}
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
          <dl className="al-text">
            <dt>What</dt>
            <dd>{body.what ?? (draft.type === 'update' ? 'unchanged' : 'the all-clear template’s words')}</dd>
            <dt>Where</dt>
            <dd>{body.where ?? 'unchanged'}</dd>
            <dt>Actions</dt>
            <dd>
              {body.actions ?? (draft.type === 'update' ? 'unchanged' : 'the all-clear template’s words')}
            </dd>
          </dl>
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
