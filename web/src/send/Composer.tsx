import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { useSession } from '../session/session-context';
import { ComposeForm } from './ComposeForm';
import {
  clearDraft,
  draftProblems,
  listDrafts,
  loadDraft,
  newDraft,
  previewBodyOf,
  saveDraft,
  sendBodyOf,
  withGeneratedTexts,
  withKind,
  type Draft,
} from './draft';
import { ErrorSummary } from './ErrorSummary';
import { fieldErrorsOf } from './field-errors';
import { Previews } from './Previews';
import { ReviewStep } from './ReviewStep';
import type { AlertPreview, SendOptions, TemplateVersion } from './send-types';
import { useDebouncedPost } from './use-debounced-post';

// Which form field a change of each draft property answers (its error is cleared by the change).
const fieldOfProperty: Partial<Record<keyof Draft, string>> = {
  places: 'audience',
  everyone: 'audience',
  where: 'where',
  audienceReason: 'audienceReason',
  what: 'what',
  actions: 'actions',
  channels: 'channels',
  kind: 'kind',
  confirmedBy: 'confirmedBy',
  confirmationSource: 'confirmationSource',
  confirmedAt: 'confirmedAt',
  delayReason: 'delayReason',
  delayDecidedBy: 'delayDecidedBy',
};

const sentence = (text: string) => text[0]!.toUpperCase() + text.slice(1).replace(/\.?$/, '.');

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Composing, reviewing and sending one alert. The draft lives in sessionStorage from the first
 * change until the send succeeds (a reload, a new sign-in or a failed send keep every field), and
 * holds the session open meanwhile. Send works once: a second click while sending does nothing.
 */
export function Composer({ template, options }: { template: TemplateVersion; options: SendOptions }) {
  const { session, setComposing } = useSession();
  const navigate = useNavigate();
  const operator = session.operator;
  const [draft, setDraft] = useState<Draft>(
    () => loadDraft(template.templateId, operator.id) ?? newDraft(template, options, operator, new Date())!,
  );
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [checked, setChecked] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [reviewing, setReviewing] = useState(false);
  const [sending, setSending] = useState(false);
  const sendingNow = useRef(false);
  const [reviewRequest, setReviewRequest] = useState(0);
  const handledReview = useRef(0);
  const [picking, setPicking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const now = useNow(15_000);
  const preview = useDebouncedPost<AlertPreview>('/api/v1/alerts/preview', previewBodyOf(draft), 350);

  useEffect(() => {
    if (!draft.touched) return;
    saveDraft(draft);
    setComposing(true);
  }, [draft, setComposing]);
  useEffect(() => {
    if (draft.step === 'compose') heading.current?.focus();
  }, [draft.step]);

  const change = useCallback(
    (patch: Partial<Draft>) => {
      setDraft((d) => withGeneratedTexts({ ...d, ...patch, touched: true }, template.name));
      const cleared = Object.keys(patch).map((k) => fieldOfProperty[k as keyof Draft]);
      const languages = 'languages' in patch;
      setServerErrors((errors) =>
        Object.fromEntries(
          Object.entries(errors).filter(
            ([f]) => !cleared.includes(f) && !(languages && f.startsWith('translations.')),
          ),
        ),
      );
    },
    [template.name],
  );

  const timing = preview.data?.timing;
  const late =
    draft.kind === 'emergency' &&
    (Boolean(timing?.delayReasonRequired) ||
      (timing?.lateAfter ? now > Date.parse(timing.lateAfter) : false));
  const recordErrors =
    checked && preview.data && !preview.loading
      ? Object.fromEntries(preview.data.recordProblems.map((p) => [p.field, sentence(p.message)]))
      : {};
  const errors = { ...recordErrors, ...(checked ? draftProblems(draft) : {}), ...serverErrors };

  // Review runs once the draft has settled: an Enter in the audience box may still be waiting for
  // its matches when Review is pressed, and the pick belongs in what is checked.
  useEffect(() => {
    if (reviewRequest === handledReview.current || picking) return;
    handledReview.current = reviewRequest;
    setChecked(true);
    setGeneral(null);
    if (Object.keys(draftProblems(draft)).length > 0) {
      setAttempt((a) => a + 1);
      return;
    }
    setReviewing(true);
    preview
      .now()
      .then((fresh) => {
        if (fresh.recordProblems.length > 0) setAttempt((a) => a + 1);
        else setDraft((d) => ({ ...d, step: 'review', touched: true }));
      })
      .catch((e: unknown) => {
        const found = fieldErrorsOf(e);
        setServerErrors(found.fields);
        setGeneral(found.general);
        setAttempt((a) => a + 1);
      })
      .finally(() => setReviewing(false));
  }, [reviewRequest, picking, draft, preview]);

  async function send() {
    if (sendingNow.current) return;
    sendingNow.current = true;
    setSending(true);
    setGeneral(null);
    try {
      const sent = await api<{ alertId: string }>('/api/v1/alerts', { body: sendBodyOf(draft) });
      clearDraft(draft.templateId);
      setComposing(listDrafts(operator.id).length > 0);
      navigate(`/console/alerts/${sent.alertId}`);
    } catch (e) {
      sendingNow.current = false;
      setSending(false);
      const found = fieldErrorsOf(e);
      if (Object.keys(found.fields).length === 0) return setGeneral(found.general);
      setServerErrors(found.fields);
      setGeneral(found.general ?? 'The alert was not sent. Fix what is marked below and send again.');
      setChecked(true);
      setDraft((d) => ({ ...d, step: 'compose' }));
      setAttempt((a) => a + 1);
    }
  }

  if (draft.step === 'review')
    return (
      <ReviewStep
        draft={draft}
        template={template}
        options={options}
        preview={preview.data}
        previewLoading={preview.loading}
        previewError={preview.error}
        sending={sending}
        error={general}
        onSend={() => void send()}
        onBack={() => setDraft((d) => ({ ...d, step: 'compose' }))}
      />
    );

  return (
    <div className="compose">
      <p className="back">
        <Link to="/console/">All templates</Link>
      </p>
      <h1 tabIndex={-1} ref={heading}>
        {template.name}
      </h1>
      {draft.touched && (
        <p className="muted">This draft is kept on this device until it is sent or discarded.</p>
      )}
      <ErrorSummary errors={errors} general={general} attempt={attempt} />
      <ComposeForm
        draft={draft}
        template={template}
        options={options}
        late={late}
        errors={errors}
        onChange={change}
        onKind={(kind) => setDraft((d) => ({ ...withKind(d, kind, options, template.name), touched: true }))}
        previews={<Previews preview={preview.data} loading={preview.loading} error={preview.error} />}
        onReview={() => setReviewRequest((r) => r + 1)}
        reviewing={reviewing || (picking && reviewRequest !== handledReview.current)}
        onPicking={setPicking}
      />
      <DiscardDraft
        visible={draft.touched}
        onDiscard={() => {
          clearDraft(draft.templateId);
          setComposing(listDrafts(operator.id).length > 0);
          navigate('/console/');
        }}
      />
    </div>
  );
}

function DiscardDraft({ visible, onDiscard }: { visible: boolean; onDiscard: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!visible) return null;
  if (!asking)
    return (
      <p>
        <button type="button" className="link-button" onClick={() => setAsking(true)}>
          Discard this draft
        </button>
      </p>
    );
  return (
    <p className="warning">
      Discard this draft? Nothing has been sent.{' '}
      <button type="button" className="danger" onClick={onDiscard}>
        Yes, discard it
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </p>
  );
}
