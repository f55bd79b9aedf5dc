import type { Draft } from './draft';
import { plural } from '../common/format';
import { FieldError, describedBy } from './FieldError';
import type { SendOptions } from './send-types';

interface Props {
  draft: Draft;
  options: SendOptions;
  /** Past the threshold since confirmation: the reason for waiting and who decided are required. */
  late: boolean;
  errors: Record<string, string>;
  onChange: (patch: Partial<Draft>) => void;
}

/**
 * The Clery emergency-notification record (34 CFR 668.46(g)): who confirmed the emergency, from
 * what source and when; past the profile's threshold, why the notification waited and who decided.
 * For an emergency the source is never filled in for the operator.
 */
export function EmergencyFacts({ draft, options, late, errors, onChange }: Props) {
  const emergency = draft.kind === 'emergency';
  const drill = draft.kind === 'test' || draft.kind === 'exercise';
  const threshold = options.initiationDelayThresholdMinutes;
  return (
    <fieldset className="facts">
      <legend>Emergency-notification record</legend>
      <p className="hint">
        {emergency
          ? 'Required for an emergency (Clery Act): who confirmed it, how and when.'
          : 'Kept with the alert in the record.'}
      </p>
      <label htmlFor="confirmed-by">Confirmed by</label>
      <FieldError id="confirmed-by" message={errors.confirmedBy} />
      <input
        id="confirmed-by"
        type="text"
        autoComplete="off"
        value={draft.confirmedBy}
        aria-invalid={errors.confirmedBy ? true : undefined}
        aria-describedby={describedBy('confirmed-by', errors.confirmedBy)}
        onChange={(e) => onChange({ confirmedBy: e.target.value })}
      />
      <label htmlFor="confirmation-source">Source of confirmation</label>
      <p className="hint" id="confirmation-source-hint">
        {emergency ? 'Choose from the list or type how you know.' : 'Choose from the list or type one.'}
      </p>
      <FieldError id="confirmation-source" message={errors.confirmationSource} />
      <input
        id="confirmation-source"
        type="text"
        list="confirmation-sources"
        autoComplete="off"
        value={draft.confirmationSource}
        aria-invalid={errors.confirmationSource ? true : undefined}
        aria-describedby={`confirmation-source-hint ${describedBy('confirmation-source', errors.confirmationSource) ?? ''}`.trim()}
        onChange={(e) => onChange({ confirmationSource: e.target.value, sourceIsDefault: false })}
      />
      <datalist id="confirmation-sources">
        {options.confirmationSources.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <label htmlFor="confirmed-at">Confirmed at</label>
      <FieldError id="confirmed-at" message={errors.confirmedAt} />
      <input
        id="confirmed-at"
        type="datetime-local"
        value={draft.confirmedAt}
        aria-invalid={errors.confirmedAt ? true : undefined}
        aria-describedby={describedBy('confirmed-at', errors.confirmedAt)}
        onChange={(e) => onChange({ confirmedAt: e.target.value })}
      />
      {late && (
        <div className="late warning">
          <p>
            More than {plural(threshold, 'minute')} have passed since the emergency was confirmed. Say why the
            notification waited and who decided.
          </p>
          <label htmlFor="delay-reason">Reason for waiting</label>
          <FieldError id="delay-reason" message={errors.delayReason} />
          <select
            id="delay-reason"
            value={draft.delayReason}
            aria-invalid={errors.delayReason ? true : undefined}
            aria-describedby={describedBy('delay-reason', errors.delayReason)}
            onChange={(e) => onChange({ delayReason: e.target.value })}
          >
            <option value="">Choose the reason…</option>
            {options.delayReasons.map((r) => (
              <option key={r.reason} value={r.reason}>
                {r.label}
              </option>
            ))}
          </select>
          <label htmlFor="delay-decided-by">Who decided to wait</label>
          <FieldError id="delay-decided-by" message={errors.delayDecidedBy} />
          <input
            id="delay-decided-by"
            type="text"
            autoComplete="off"
            value={draft.delayDecidedBy}
            aria-invalid={errors.delayDecidedBy ? true : undefined}
            aria-describedby={describedBy('delay-decided-by', errors.delayDecidedBy)}
            onChange={(e) => onChange({ delayDecidedBy: e.target.value })}
          />
        </div>
      )}
      {drill && (
        <label className="check">
          <input
            type="checkbox"
            checked={draft.announced}
            onChange={(e) => onChange({ announced: e.target.checked })}
          />
          The {draft.kind} was announced beforehand
        </label>
      )}
    </fieldset>
  );
}
