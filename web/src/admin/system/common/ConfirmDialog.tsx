import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  title: string;
  /** What the confirm button says (the action, e.g. "Disable operator"). */
  confirmLabel: string;
  /** Shown in red: the action ends something (sessions, an account's access). */
  danger?: boolean;
  busy?: boolean;
  /** The API's words when the action failed; the dialog stays open so the operator can read them. */
  error?: string | null;
  /** False while the dialog's own fields are incomplete. */
  canConfirm?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

const focusable = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href]';

/**
 * The confirm step of a change: a dialog over the screen saying what will happen, with the action
 * and Cancel. Tab stays inside, Escape cancels, focus returns where it was. Not a native modal
 * <dialog>: that would sit in the top layer above the console's sign-in dialog when a session
 * ends mid-confirm, and block it.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea') ?? ref.current;
    first?.focus();
    return () => before?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && !props.busy) {
      event.stopPropagation();
      props.onCancel();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const stops = [...ref.current.querySelectorAll<HTMLElement>(focusable)];
    if (stops.length === 0) return;
    const [first, last] = [stops[0]!, stops.at(-1)!];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="dialog confirm-dialog"
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        {props.error && (
          <p className="error" role="alert">
            {props.error}
          </p>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            className={props.danger ? 'danger' : 'primary'}
            disabled={props.busy || props.canConfirm === false}
            onClick={props.onConfirm}
          >
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
          <button type="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
