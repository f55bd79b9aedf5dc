import type { AlertPreview } from './send-types';

type LanguagePreview = AlertPreview['languages'][number];

/** The SMS as a phone shows it, with a meter of its segments and the UCS-2 warning naming the characters. */
function SmsPreview({ sms, language }: { sms: LanguagePreview['sms']; language: string }) {
  const capacity = sms.segments * sms.perSegment;
  const ucs2 = sms.encoding === 'UCS-2';
  return (
    <div className="sms-preview">
      <h4>Text message (SMS)</h4>
      <p className="sms-bubble" lang={language}>
        {sms.text}
      </p>
      <div className="segment-meter" aria-hidden="true">
        {Array.from({ length: sms.segments }, (_, i) => {
          const used = Math.min(sms.perSegment, Math.max(0, sms.characters - i * sms.perSegment));
          return (
            <span key={i} className="segment">
              <span className="segment-fill" style={{ width: `${(used / sms.perSegment) * 100}%` }} />
            </span>
          );
        })}
      </div>
      <p className="sms-meter">
        {sms.characters} of {capacity} characters:{' '}
        <strong>
          {sms.segments} {sms.segments === 1 ? 'segment' : 'segments'}
        </strong>{' '}
        of {sms.perSegment} ({sms.encoding})
      </p>
      {sms.shortened.length > 0 && (
        <p className="warning" role="note">
          <strong>Shortened:</strong> to fit 3 segments, the{' '}
          {sms.shortened.map((f) => (f === 'what' ? 'description' : 'location')).join(' and the ')}{' '}
          {sms.shortened.length === 1 ? 'was' : 'were'} cut short (ending in “...”) in this text message.
          Shorten {sms.shortened.length === 1 ? 'it' : 'them'} or the actions to send every word.
        </p>
      )}
      {ucs2 && (
        <p className="warning">
          <strong>UCS-2:</strong> {sms.ucs2Characters.map((c) => `“${c}”`).join(', ')}{' '}
          {sms.ucs2Characters.length === 1 ? 'is' : 'are'} not in the GSM alphabet, so each text segment holds{' '}
          {sms.perSegment} characters instead of {sms.segments > 1 ? 153 : 160}. Replace{' '}
          {sms.ucs2Characters.length === 1 ? 'it' : 'them'} to fit more in each segment.
        </p>
      )}
    </div>
  );
}

function LanguageSection({ p, open }: { p: LanguagePreview; open: boolean }) {
  const others = p.warnings.filter((w) => !w.startsWith('SMS: '));
  return (
    <section className="language-preview" aria-label={`${p.languageName} previews`}>
      <h3>
        {p.languageName}
        {p.primary ? ' (primary language)' : ''}
      </h3>
      <SmsPreview sms={p.sms} language={p.language} />
      {others.length > 0 && (
        <ul className="warning preview-warnings">
          {others.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <details open={open}>
        <summary>Voice call script</summary>
        <p lang={p.language}>{p.voice.text}</p>
      </details>
      <details open={open}>
        <summary>Email</summary>
        <p lang={p.language}>
          <strong>Subject:</strong> {p.email.subject}
        </p>
        <pre className="text-preview" lang={p.language}>
          {p.email.text}
        </pre>
      </details>
      <details>
        <summary>X and Facebook posts</summary>
        <h4>X ({p.x.length} of 280)</h4>
        <p className="text-preview" lang={p.language}>
          {p.x.text}
        </p>
        <h4>Facebook</h4>
        <p className="text-preview" lang={p.language}>
          {p.facebook.message}
        </p>
      </details>
      <details>
        <summary>Digital signage</summary>
        <div
          className="signage-preview"
          lang={p.language}
          style={{ background: p.signage.background, color: p.signage.foreground }}
        >
          <p className="signage-headline">{p.signage.headline}</p>
          <p>{p.signage.body}</p>
          <p>{p.signage.actions}</p>
        </div>
      </details>
    </section>
  );
}

/** Every channel's preview, per language, from POST /api/v1/alerts/preview. */
export function Previews({
  preview,
  loading,
  error,
  open = false,
}: {
  preview: AlertPreview | null;
  loading: boolean;
  error: string | null;
  /** Open the voice and email previews (the review step). */
  open?: boolean;
}) {
  return (
    <div className="previews" aria-busy={loading || undefined}>
      {error && <p className="error">{`The previews could not be made: ${error}`}</p>}
      {!preview && !error && <p>{loading ? 'Making the previews…' : 'Choose where to see the previews.'}</p>}
      {preview && loading && (
        <p className="muted" role="status">
          Updating the previews…
        </p>
      )}
      {preview?.languages.map((p) => (
        <LanguageSection key={p.language} p={p} open={open} />
      ))}
      {preview && (
        <details>
          <summary>CAP 1.2 message (feeds and partner systems)</summary>
          <pre className="text-preview code">{preview.cap.xml}</pre>
        </details>
      )}
    </div>
  );
}
