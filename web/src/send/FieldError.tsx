/** The id of a field's error message, for aria-describedby (undefined when there is none). */
export function describedBy(fieldId: string, message: string | undefined): string | undefined {
  return message ? `${fieldId}-error` : undefined;
}

/** What is wrong with one field, right above it. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}
