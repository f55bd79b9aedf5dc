import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../platform/errors.js';
import { errorStatus, invalid } from '../../platform/errors.js';
import { publicRoute } from '../../platform/http/access.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { ensureSelfRegistrationOpen, registerMember, resendVerification } from './register.js';
import { anonymousRequest, quietLogs } from './registration.routes.js';
import {
  FormBody,
  LangQuery,
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
import {
  checked,
  registrationFormView,
  registrationStatusView,
  type RegistrationForm,
} from './registration.views.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** The registration form and the page where a registrant enters their code, as plain HTML forms. */
export const registrationPages: RoutePlugin = (app, ctx) => {
  const program = ctx.profile.institution.alertProgramName;

  const form = (
    request: FastifyRequest,
    reply: FastifyReply,
    language: string,
    values: RegistrationForm,
    failure: AppError | null,
  ) =>
    sendPage(
      ctx,
      reply,
      { language, title: pageText(language).register.title(program), path: '/register' },
      registrationFormView(ctx.profile, { language, values, failure, csrf: sessionCsrf(request) }),
      failure ? errorStatus(failure.code) : 200,
    );

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
  ) =>
    sendPage(
      ctx,
      reply,
      { language, title: pageText(language).status.title, path: `/register/${status.registrationId}` },
      registrationStatusView(program, { status, language, banner, codeError, csrf: sessionCsrf(request) }),
      httpStatus,
    );

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
