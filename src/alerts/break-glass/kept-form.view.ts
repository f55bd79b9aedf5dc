import { html, type SafeHtml } from '../../platform/http/html.js';
import { messageBox } from './break-glass.layout.js';
import { sendFormFields, type SendFormValues } from './send-form.js';

/**
 * The answer to a send form posted after the session ended: nothing was sent, and nothing typed is
 * lost. The words typed are shown back and every value rides along in hidden fields, so after
 * signing in (in another tab: this one keeps the form) one press brings the whole form back, filled
 * in, to check and send. It holds no CSRF token (there is no session to hold one): the form it
 * brings back does, and only that one sends.
 */
export function keptFormView(values: SendFormValues): SafeHtml {
  const hidden = sendFormFields.flatMap((name) =>
    [values[name]].flat().map((value) => html`<input type="hidden" name="${name}" value="${value}" />`),
  );
  const typed = [
    ['What', values.what],
    ['Where', values.where],
    ['What to do', values.actions],
  ].filter(([, text]) => text!.trim() !== '');
  return html`${messageBox(
      'error',
      'Nothing was sent: your session ended before you pressed Send. What you filled in is kept on this page.',
    )}
    <ol>
      <li>
        <a href="/login?next=/send" target="_blank" rel="noopener">Sign in in a new tab</a> (this tab keeps
        your form).
      </li>
      <li>Come back to this tab and press <strong>Bring back my form</strong>: you check it, then send.</li>
    </ol>
    ${
      typed.length > 0
        ? html`<dl>
            ${typed.map(
              ([label, text]) =>
                html`<dt>${label}</dt>
                  <dd>${text}</dd>`,
            )}
          </dl>`
        : ''
    }
    <form method="post" action="/send">
      ${hidden}
      <button type="submit">Bring back my form</button>
    </form>`;
}
