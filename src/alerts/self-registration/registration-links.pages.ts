import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { publicRoute } from '../../platform/http/access.js';
import { html } from '../../platform/http/html.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { maskAddress } from '../../directory/manage-contact.js';
import { csrfInput, messageBox } from './registration.layout.js';
import { anonymousRequest, quietLogs } from './registration.routes.js';
import {
  FormBody,
  LangQuery,
  pageLanguage,
  sendPage,
  sendProblemPage,
  sessionCsrf,
  withPageErrors,
} from './registration-page-support.js';
import { pageText } from './registration-page-text.js';
import { describeUnsubscribe, unsubscribe } from './unsubscribe.js';
import { cancelEmailRegistration, describeEmailLink, verifyEmailToken } from './verify-contact.js';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 400 }) });
const showOptions = {
  config: publicRoute,
  logLevel: quietLogs,
  schema: { hide: true, params: TokenParams, querystring: LangQuery },
};
const postOptions = { ...showOptions, schema: { ...showOptions.schema, body: FormBody } };

/**
 * The links in messages: confirm an email address, and unsubscribe. GET only shows a button (mail
 * scanners and link previews fetch GETs); the change is the POST. Unsubscribe also takes the
 * RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) a mail client sends by itself.
 */
export const registrationLinkPages: RoutePlugin = (app, ctx) => {
  const program = ctx.profile.institution.alertProgramName;
  const problem =
    (request: FastifyRequest, reply: FastifyReply, path: string) =>
    (error: Parameters<typeof sendProblemPage>[4]) =>
      sendProblemPage(ctx, reply, pageLanguage(ctx, request), path, error);

  app.get('/register/verify-email/:token', showOptions, async (request, reply) => {
    const path = `/register/verify-email/${request.params.token}`;
    return withPageErrors(
      async () => {
        const link = await describeEmailLink(ctx, request.params.token);
        const language = pageLanguage(ctx, request, link.language);
        const t = pageText(language);
        const address = maskAddress(link.address);
        const body =
          link.state === 'verified'
            ? messageBox('done', t.emailLink.confirmed(address, program))
            : link.state === 'cancelled'
              ? messageBox('note', t.emailLink.cancelled)
              : link.state === 'expired'
                ? html`${messageBox('error', t.emailLink.expired)}
                    <p>
                      <a href="/register/${link.registrationId}?lang=${language}">${t.emailLink.again}</a>
                    </p>`
                : html`<p>${t.emailLink.prompt(address)}</p>
                    <form method="post" action="${path}?lang=${language}">
                      ${csrfInput(sessionCsrf(request))}
                      <button type="submit" name="action" value="confirm">${t.emailLink.confirm}</button>
                      <button type="submit" name="action" value="cancel" class="secondary">
                        ${t.emailLink.cancel}
                      </button>
                    </form>`;
        return sendPage(ctx, reply, { language, title: t.emailLink.title, path }, body);
      },
      problem(request, reply, path),
    );
  });

  app.post('/register/verify-email/:token', postOptions, async (request, reply) => {
    const { token } = request.params;
    const path = `/register/verify-email/${token}`;
    return withPageErrors(
      async () => {
        const link = await describeEmailLink(ctx, token);
        const language = pageLanguage(ctx, request, link.language);
        const t = pageText(language);
        const cancel = request.body.action === 'cancel';
        if (cancel) await cancelEmailRegistration(ctx, token, anonymousRequest(request));
        else await verifyEmailToken(ctx, token, anonymousRequest(request));
        const body = cancel
          ? messageBox('note', t.emailLink.cancelled)
          : messageBox('done', t.emailLink.confirmed(maskAddress(link.address), program));
        return sendPage(ctx, reply, { language, title: t.emailLink.title, path }, body);
      },
      problem(request, reply, path),
    );
  });

  app.get('/unsubscribe/:token', showOptions, async (request, reply) => {
    const path = `/unsubscribe/${request.params.token}`;
    return withPageErrors(
      async () => {
        const target = await describeUnsubscribe(ctx, request.params.token);
        const language = pageLanguage(ctx, request, target.language);
        const t = pageText(language);
        const csrf = csrfInput(sessionCsrf(request));
        const body = html`${target.optedOut ? messageBox('note', t.unsubscribe.alreadyOut(target.maskedAddress)) : ''}
          <form method="post" action="${path}?lang=${language}">
            ${csrf}
            ${
              target.optedOut
                ? ''
                : html`<p>${t.unsubscribe.prompt(target.maskedAddress)}</p>
                    <button type="submit" name="scope" value="contact">${t.unsubscribe.one}</button>`
            }
            ${
              target.personActive
                ? html`<p class="hint" id="all-hint">${t.unsubscribe.allHint}</p>
                    <button
                      type="submit"
                      name="scope"
                      value="all"
                      class="secondary"
                      aria-describedby="all-hint"
                    >
                      ${t.unsubscribe.all(program)}
                    </button>`
                : ''
            }
          </form>`;
        return sendPage(ctx, reply, { language, title: t.unsubscribe.title, path }, body);
      },
      problem(request, reply, path),
    );
  });

  app.post('/unsubscribe/:token', postOptions, async (request, reply) => {
    const { token } = request.params;
    const path = `/unsubscribe/${token}`;
    return withPageErrors(
      async () => {
        const scope = request.body.scope === 'all' ? 'all' : 'contact';
        const target = await describeUnsubscribe(ctx, token);
        await unsubscribe(ctx, token, scope, anonymousRequest(request));
        const language = pageLanguage(ctx, request, target.language);
        const t = pageText(language);
        const done =
          scope === 'all' ? t.unsubscribe.doneAll(program) : t.unsubscribe.doneOne(target.maskedAddress);
        return sendPage(ctx, reply, { language, title: t.unsubscribe.title, path }, messageBox('done', done));
      },
      problem(request, reply, path),
    );
  });
};
