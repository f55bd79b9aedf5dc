import { useEffect, useRef } from 'react';
import { controlOf } from './field-errors';

/** Move focus to a field by id (a fieldset's first control). */
function focusField(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const target = element.matches('input, select, textarea, button')
    ? element
    : element.querySelector<HTMLElement>('input:checked, input, select, textarea, button');
  target?.focus();
}

/**
 * What must be fixed before sending, at the top of the form, each linking to its field; takes the
 * focus each time `attempt` changes so a screen reader reads it and a keyboard starts from it.
 */
export function ErrorSummary({
  errors,
  general,
  attempt,
}: {
  errors: Record<string, string>;
  general: string | null;
  attempt: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const fields = Object.entries(errors).flatMap(([field, message]) => {
    const control = controlOf(field);
    return control ? [{ field, message, ...control }] : [];
  });
  const any = fields.length > 0 || general !== null;
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (!any) return null;
  return (
    <div
      className="error-summary error"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">
        {fields.length > 0 ? 'Fix these before sending' : 'The alert was not sent'}
      </h2>
      {general && <p>{general}</p>}
      {fields.length > 0 && (
        <ul>
          {fields.map(({ field, message, id, label }) => (
            <li key={field}>
              <a
                href={`#${id}`}
                onClick={(e) => {
                  e.preventDefault();
                  focusField(id);
                }}
              >
                {label}: {message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
