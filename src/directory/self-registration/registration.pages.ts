import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppError } from '../../platform/errors.js';
import { errorStatus, invalid } from '../../platform/errors.js';
import { publicRoute } from '../../platform/http/access.js';
import { html } from '../../platform/http/html.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { ensureSelfRegistrationOpen, registerMember, resendVerification } from './register.js';
import { csrfInput, messageBox, textField } from './registration.layout.js';
import { anonymousRequest, quietLogs } from './registration.routes.js';
import {
  FormBody,
  LangQuery,
  fieldProblems,
  localMessage,
  pageLanguage,
  sendPage,
  sendProblemPage,
  sessionCsrf,
  withPageErrors,
} from './registration-page-support.js';
import { pageText } from './registration-page-text.js';
import { registrationStatus, type RegistrationStatus } from './registration-status.js';
import { registrationChannels, type RegistrationChannel } from './self-registration.tables.js';
import { verifySmsCode } from './verify-contact.js';

type Form = Static<typeof FormBody>;
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const checked = (value: string | undefined) => ['yes', 'on', 'true', '1'].includes(value ?? '');

/** The registration form and the page where a registrant enters their code, as plain HTML forms. */
export const registrationPages: RoutePlugin = (app, ctx) => {
  const program = ctx.profile.institution.alertProgramName;
  const languageNames: Record<string, string> = { en: 'English', es: 'Español' };

  const form = (
    request: FastifyRequest,
    reply: FastifyReply,
    language: string,
    values: Form,
    failure: AppError | null,
  ) => {
    const t = pageText(language);
    const errors = failure?.code === 'validation' ? fieldProblems(t, failure) : {};
    const fields = Object.keys(errors);
    const summary =
      fields.length > 0
        ? html`<div class="error" role="alert">
            <p>${t.errorSummary}</p>
            <ul>
              ${fields.map((f) => html`<li><a href="#${f}">${errors[f]}</a></li>`)}
            </ul>
          </div>`
        : messageBox('error', failure ? localMessage(t, language, failure) : null);
    const chosen = values.language ?? language;
    const field = { errorPrefix: t.errorPrefix };
    return sendPage(
      ctx,
      reply,
      { language, title: t.register.title(program), path: '/register' },
      html`<p>${t.register.intro(program, ctx.profile.institution.name)}</p>
        ${summary}
        <form method="post" action="/register?lang=${language}" novalidate>
          ${csrfInput(sessionCsrf(request))}
          ${textField({ ...field, id: 'name', label: t.register.name, value: values.name, error: errors.name, autocomplete: 'name', required: true })}
          ${textField({ ...field, id: 'phone', label: t.register.phone, value: values.phone, hint: t.register.phoneHint, error: errors.phone, type: 'tel', autocomplete: 'tel' })}
          ${textField({ ...field, id: 'email', label: t.register.email, value: values.email, hint: t.register.emailHint, error: errors.email, type: 'email', autocomplete: 'email' })}
          <label for="language">${t.register.language}</label>
          ${errors.language ? html`<p class="field-error" id="language-error">${t.errorPrefix} ${errors.language}</p>` : ''}
          <select
            id="language"
            name="language"
            ${errors.language ? html`aria-describedby="language-error"` : ''}
          >
            ${ctx.profile.alerts.languages.map(
              (l) =>
                html`<option value="${l}" ${l === chosen ? html`selected` : ''}>
                  ${languageNames[l] ?? l}
                </option>`,
            )}
          </select>
          ${errors.consent ? html`<p class="field-error" id="consent-error">${t.errorPrefix} ${errors.consent}</p>` : ''}
          <div class="check">
            <input
              type="checkbox"
              id="consent"
              name="consent"
              value="yes"
              aria-describedby="consent-hint${errors.consent ? ' consent-error' : ''}"
              ${errors.consent ? html`aria-invalid="true"` : ''}
              ${checked(values.consent) ? html`checked` : ''}
            />
            <label for="consent">${t.register.consent(program)}</label>
          </div>
          <p class="hint" id="consent-hint">${t.register.consentHint}</p>
          <button type="submit">${t.register.submit}</button>
        </form>`,
      failure ? errorStatus(failure.code) : 200,
    );
  };

  app.get(
    '/register',
    { config: publicRoute, logLevel: quietLogs, schema: { hide: true, querystring: LangQuery } },
    async (request, reply) => {
      const language = pageLanguage(ctx, request);
      return withPageErrors(
        async () => {
          ensureSelfRegistrationOpen(ctx);
          return form(request, reply, language, {}, null);
        },
        (error) => sendProblemPage(ctx, reply, language, '/register', error),
      );
    },
  );

  app.post(
    '/register',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: { hide: true, querystring: LangQuery, body: FormBody },
    },
    async (request, reply) => {
      const language = pageLanguage(ctx, request);
      const b = request.body;
      return withPageErrors(
        async () => {
          const receipt = await registerMember(
            ctx,
            {
              name: b.name,
              email: b.email,
              phone: b.phone,
              language: b.language,
              consent: checked(b.consent),
            },
            anonymousRequest(request),
          );
          return reply.redirect(`/register/${receipt.registrationId}?lang=${language}`, 303);
        },
        (error) =>
          error.code === 'not_found'
            ? sendProblemPage(ctx, reply, language, '/register', error)
            : form(request, reply, language, b, error),
      );
    },
  );

  const statusPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: RegistrationStatus,
    language: string,
    banner: { kind: 'error' | 'note'; text: string } | null,
    codeError: string | null,
    httpStatus = 200,
  ) => {
    const t = pageText(language);
    const path = `/register/${status.registrationId}`;
    const csrf = csrfInput(sessionCsrf(request));
    const resend = (channel: RegistrationChannel, label: string) =>
      html`<form method="post" action="${path}/resend?lang=${language}">
        ${csrf}<input type="hidden" name="channel" value="${channel}" />
        <button type="submit" class="secondary">${label}</button>
      </form>`;
    const sections = status.addresses.map((a) => {
      if (a.state === 'verified') return messageBox('done', t.status.verified(a.maskedAddress));
      if (a.state === 'cancelled') return messageBox('note', t.status.cancelled(a.maskedAddress));
      if (a.channel === 'email')
        return html`<section>
          <p>${t.status.linkSent(a.maskedAddress)}</p>
          ${resend('email', t.status.newLink)}
        </section>`;
      const stateError = a.state === 'locked' || a.state === 'expired' ? t.reasons[a.state] : undefined;
      return html`<section>
        <p>${t.status.codeSent(a.maskedAddress)}</p>
        <form method="post" action="${path}/code?lang=${language}" novalidate>
          ${csrf}
          ${textField({
            id: 'code',
            label: t.status.code,
            hint: t.status.codeHint,
            error: codeError ?? stateError,
            errorPrefix: t.errorPrefix,
            inputmode: 'numeric',
            autocomplete: 'one-time-code',
            required: true,
          })}
          <button type="submit">${t.status.verify}</button>
        </form>
        ${resend('sms', t.status.newCode)}
      </section>`;
    });
    const registered = status.addresses.some((a) => a.state === 'verified');
    return sendPage(
      ctx,
      reply,
      { language, title: t.status.title, path },
      html`${banner ? messageBox(banner.kind, banner.text) : ''} ${sections}
      ${registered ? messageBox('done', t.status.registered(program)) : ''}`,
      httpStatus,
    );
  };

  /** Show a registration's page, or the problem page when it does not exist (any more). */
  const showStatus = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    render: (status: RegistrationStatus, language: string) => unknown,
  ) =>
    withPageErrors(
      async () => {
        ensureSelfRegistrationOpen(ctx);
        const status = await registrationStatus(ctx, id);
        return render(status, pageLanguage(ctx, request, status.language));
      },
      (error) => sendProblemPage(ctx, reply, pageLanguage(ctx, request), '/register', error),
    );

  app.get(
    '/register/:id',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: { hide: true, params: IdParams, querystring: LangQuery },
    },
    async (request, reply) => {
      const sent = (request.query as { sent?: string }).sent;
      return showStatus(request, reply, request.params.id, (status, language) =>
        statusPage(
          request,
          reply,
          status,
          language,
          sent ? { kind: 'note', text: pageText(language).status.sentAgain } : null,
          null,
        ),
      );
    },
  );

  app.post(
    '/register/:id/code',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: { hide: true, params: IdParams, querystring: LangQuery, body: FormBody },
    },
    async (request, reply) => {
      const { id } = request.params;
      const failure = await withPageErrors(
        async () => {
          await verifySmsCode(ctx, id, request.body.code ?? '', anonymousRequest(request));
          return null;
        },
        (error) => error,
      );
      if (!failure) return reply.redirect(`/register/${id}?lang=${pageLanguage(ctx, request)}`, 303);
      return showStatus(request, reply, id, (status, language) =>
        statusPage(
          request,
          reply,
          status,
          language,
          null,
          localMessage(pageText(language), language, failure),
          errorStatus(failure.code),
        ),
      );
    },
  );

  app.post(
    '/register/:id/resend',
    {
      config: publicRoute,
      logLevel: quietLogs,
      schema: { hide: true, params: IdParams, querystring: LangQuery, body: FormBody },
    },
    async (request, reply) => {
      const { id } = request.params;
      const channel = request.body.channel as RegistrationChannel;
      const failure = await withPageErrors(
        async () => {
          if (!registrationChannels.includes(channel)) throw invalid('Choose sms or email.');
          await resendVerification(ctx, id, channel, anonymousRequest(request));
          return null;
        },
        (error) => error,
      );
      if (!failure)
        return reply.redirect(`/register/${id}?lang=${pageLanguage(ctx, request)}&sent=${channel}`, 303);
      return showStatus(request, reply, id, (status, language) =>
        statusPage(
          request,
          reply,
          status,
          language,
          { kind: 'error', text: localMessage(pageText(language), language, failure) },
          null,
          errorStatus(failure.code),
        ),
      );
    },
  );
};
