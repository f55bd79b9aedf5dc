import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { defaultCampusId } from '../../directory/sync/sync.queries.js';
import type { SessionPrincipal } from '../../identity/principal.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, errorStatus, isAppError } from '../../platform/errors.js';
import { publicRoute } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import type { App, RoutePlugin } from '../../platform/http/server.js';
import { alertStatus } from '../alert-status.js';
import { resolveAudience } from '../audience.js';
import { closeAlert } from '../follow-up.js';
import { sendableKinds } from '../send-options.js';
import { alertPageView, type AlertPageView, type FollowUpForm } from './alert-page.view.js';
import {
  activeSession,
  breakGlassGate,
  isStaleCsrf,
  mayUseBreakGlass,
  pageErrors,
  provenSameOrigin,
  sendPage,
} from './break-glass.access.js';
import { formTemplates, messagesAwaitingFanOut } from './break-glass.queries.js';
import { mapCloseForm, mapFollowUpForm, readFollowUpForm } from './follow-up-form.js';
import {
  mapSendForm,
  problemsFromSendError,
  readSendForm,
  sendFormDefaults,
  sendFormFields,
  type FieldProblems,
  type SendFormValues,
} from './send-form.js';
import { sendFormView } from './send-form.view.js';
import { followUpNothingDone, keptCloseForm, keptFollowUpForm, keptSendForm } from './kept-form.view.js';
import { sendAlertOnce, sendFollowUpOnce } from './send-once.js';

const field = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 50 })]));
// Every field a string (ticked boxes: a list); lengths and meaning are checked by the form mapping,
// so a wrong value comes back as a message at its field, never as an error page. Unknown fields are ignored.
const FormBody = Type.Object(
  Object.fromEntries(
    [
      '_csrf',
      ...sendFormFields,
      // The follow-up and close forms.
      'type',
      'update-what',
      'update-where',
      'update-actions',
      'reason',
    ].map((name) => [name, field]),
  ),
);
const AlertParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const AlertQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notices: Record<string, string> = {
  sent: 'The alert is on its way. Refresh this page to follow each channel.',
  duplicate:
    'You sent this same alert moments ago, so it was not sent again. To send it once more on purpose, change its words, or send an update below.',
  update: 'The update is on its way.',
  all_clear: 'The all-clear is on its way.',
  'duplicate-follow-up': 'You sent that moments ago, so it was not sent again.',
  closed: 'The alert is closed.',
};

/**
 * The break-glass send path: a plain server-rendered form at /send (no JavaScript, nothing from
 * elsewhere) and a status page per alert with plain forms for the update, the all-clear and closing.
 * It calls the same use cases as the JSON API; they check the rules and write the audit rows.
 */
export const breakGlassPages: RoutePlugin = async (app, ctx) => {
  // A scope of their own, so that what fails before a handler runs (a stale CSRF token, a body too
  // large) is answered as a page an operator can read, not as the API's JSON.
  await app.register(async (scope) => {
    const pageError = pageErrors(ctx);
    const retries: FormRetries = new Map();
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      // A form filled in before the latest sign-in (its CSRF token is an earlier session's, or the
      // kept form after the session ended has none) comes back filled in with this session's
      // token, to check and submit; only a post from one of our own pages.
      const s = activeSession(request);
      const retry = retries.get(request.routeOptions.url ?? '');
      if (s && retry && isStaleCsrf(error) && request.method === 'POST' && provenSameOrigin(ctx, request)) {
        // The same permission as every other way into these pages (audited when refused).
        if (!(await mayUseBreakGlass(ctx, request, reply, s))) return reply;
        try {
          return await retry(request, reply, s);
        } catch (failure) {
          // The form names nothing there is (no such alert): the plain refusal, as without a retry.
          if (!isAppError(failure)) request.log.error({ err: failure }, 'giving a form back failed');
        }
      }
      return pageError(error, request, reply);
    });
    registerSendForm(scope as unknown as App, ctx, retries);
    registerAlertPage(scope as unknown as App, ctx, retries);
  });
};

/** The close form's reason as typed, however long (a kept form gives back every word). */
const typedReason = (body: unknown): string => {
  const reason = (body as Record<string, unknown> | null)?.reason;
  return typeof reason === 'string' ? reason.trim() : '';
};

/** What a form route answers a post refused for its CSRF token alone: the form, filled in again. */
type FormRetries = Map<
  string,
  (request: FastifyRequest, reply: FastifyReply, s: SessionPrincipal) => Promise<unknown>
>;
const beforeSignIn = (nothingDone: string, press: string) =>
  `${nothingDone}: this form was filled in before your latest sign-in. What you typed is below; check it, then press ${press}.`;

/** Why the send form comes back: problems at their fields, a message on top, the status. */
type Refusal = { problems: FieldProblems; message: string | null; status: number };

/** The send form for this operator: the values given, and a refusal's problems at their fields. */
async function sendFormPage(
  ctx: AppContext,
  reply: FastifyReply,
  s: SessionPrincipal,
  values: SendFormValues,
  refusal: Refusal | null,
) {
  return sendPage(
    ctx,
    reply,
    { title: refusal ? 'Send an alert: not sent yet' : 'Send an alert', operator: s },
    sendFormView({
      profile: ctx.profile,
      templates: await formTemplates(ctx.db, ctx.profile.alerts.languages[0]!),
      kinds: sendableKinds(ctx.profile, s),
      values,
      problems: refusal?.problems ?? {},
      message: refusal?.message ?? null,
      csrfToken: s.csrfToken,
    }),
    refusal?.status ?? 200,
  );
}

function registerSendForm(app: App, ctx: AppContext, retries: FormRetries): void {
  const primary = ctx.profile.alerts.languages[0]!;
  const form = (reply: FastifyReply, s: SessionPrincipal, values: SendFormValues, refusal: Refusal | null) =>
    sendFormPage(ctx, reply, s, values, refusal);

  app.get('/send', { config: publicRoute, schema: { hide: true } }, async (request, reply) => {
    const s = await breakGlassGate(ctx, request, reply, '/send');
    if (!s) return reply;
    return form(reply, s, sendFormDefaults(ctx.profile, s.displayName, ctx.clock.now()), null);
  });
  retries.set('/send', (request, reply, s) =>
    form(reply, s, readSendForm(request.body), {
      problems: {},
      message: beforeSignIn('Nothing was sent', 'Send alert now'),
      status: 403,
    }),
  );

  app.post(
    '/send',
    { config: publicRoute, schema: { hide: true, body: FormBody } },
    async (request, reply) => {
      const s = await breakGlassGate(ctx, request, reply, '/send', () =>
        keptSendForm(readSendForm(request.body)),
      );
      if (!s) return reply;
      const values = readSendForm(request.body);
      const mapped = mapSendForm(values, {
        profile: ctx.profile,
        templates: await formTemplates(ctx.db, primary),
        kinds: sendableKinds(ctx.profile, s),
        now: ctx.clock.now(),
      });
      if (!mapped.options) {
        const problems = { ...mapped.problems, ...(await unknownCodes(ctx, mapped)) };
        return form(reply, s, values, { problems, message: null, status: 400 });
      }
      try {
        const sent = await sendAlertOnce(ctx, s, { ...mapped.options, request: requestMeta(request) });
        request.log.info(
          { alertId: sent.alertId, duplicate: sent.duplicate },
          'alert sent from the plain form',
        );
        return reply.redirect(
          `/send/alerts/${sent.alertId}?done=${sent.duplicate ? 'duplicate' : 'sent'}`,
          303,
        );
      } catch (error) {
        if (!isAppError(error) || error.code === 'internal') throw error;
        const status =
          error.code === 'not_found' || error.code === 'conflict' ? 400 : errorStatus(error.code);
        return form(reply, s, values, { ...problemsFromSendError(error), status });
      }
    },
  );
}

/** With other problems on the form, also say which typed codes the directory does not have. */
async function unknownCodes(ctx: AppContext, mapped: ReturnType<typeof mapSendForm>): Promise<FieldProblems> {
  if (!mapped.audience?.locationCodes?.length || mapped.problems.locationCodes) return {};
  try {
    await resolveAudience(
      ctx.db,
      await defaultCampusId(ctx.db, ctx.profile.campuses[0]!.slug),
      mapped.audience,
    );
    return {};
  } catch (error) {
    if (!isAppError(error) || error.code !== 'validation') throw error;
    return { locationCodes: error.message };
  }
}

function registerAlertPage(app: App, ctx: AppContext, retries: FormRetries): void {
  const page = async (
    reply: FastifyReply,
    s: SessionPrincipal,
    id: string,
    extra: Pick<AlertPageView, 'notice' | 'failure'>,
    status = 200,
  ) => {
    const alert = await alertStatus(ctx.db, id);
    return sendPage(
      ctx,
      reply,
      { title: 'Alert status', operator: s },
      alertPageView({
        profile: ctx.profile,
        alert,
        awaitingFanOut: await messagesAwaitingFanOut(ctx.db, id),
        now: ctx.clock.now(),
        csrfToken: s.csrfToken,
        mayClose: s.permissions.has('alerts.close'),
        ...extra,
      }),
      status,
    );
  };
  const alertId = (request: { params: { id: string } }) => {
    if (!uuid.test(request.params.id))
      throw new AppError('not_found', 'There is no such alert: the address is not an alert’s.');
    return request.params.id;
  };
  /** Re-show the page with a refused follow-up's reason at its form; its status says why. */
  const refuse = (
    reply: FastifyReply,
    s: SessionPrincipal,
    id: string,
    form: FollowUpForm,
    values: Record<string, string>,
    error: AppError,
  ) =>
    page(
      reply,
      s,
      id,
      { notice: null, failure: { form, message: error.message, values } },
      errorStatus(error.code),
    );

  const idOf = (request: FastifyRequest) => alertId(request as unknown as { params: { id: string } });
  retries.set('/send/alerts/:id/updates', (request, reply, s) => {
    const values = readFollowUpForm(request.body);
    const form: FollowUpForm = values.type === 'all_clear' ? 'all_clear' : 'update';
    const press = form === 'all_clear' ? 'Send the all-clear' : 'Send update';
    return page(
      reply,
      s,
      idOf(request),
      {
        notice: null,
        failure: {
          form,
          message: beforeSignIn(followUpNothingDone(values.type), press),
          values: { ...values },
        },
      },
      403,
    );
  });
  retries.set('/send/alerts/:id/close', (request, reply, s) =>
    page(
      reply,
      s,
      idOf(request),
      {
        notice: null,
        failure: {
          form: 'close',
          message: beforeSignIn('The alert was not closed', 'Close the alert'),
          values: { reason: typedReason(request.body) },
        },
      },
      403,
    ),
  );

  app.get(
    '/send/alerts/:id',
    { config: publicRoute, schema: { hide: true, params: AlertParams, querystring: AlertQuery } },
    async (request, reply) => {
      const id = alertId(request);
      const s = await breakGlassGate(ctx, request, reply, `/send/alerts/${id}`);
      if (!s) return reply;
      return page(reply, s, id, { notice: notices[request.query.done ?? ''] ?? null, failure: null });
    },
  );

  app.post(
    '/send/alerts/:id/updates',
    { config: publicRoute, schema: { hide: true, params: AlertParams, body: FormBody } },
    async (request, reply) => {
      const id = alertId(request);
      const s = await breakGlassGate(ctx, request, reply, `/send/alerts/${id}`, () =>
        keptFollowUpForm(id, request.body),
      );
      if (!s) return reply;
      const values = readFollowUpForm(request.body);
      const form: FollowUpForm = values.type === 'all_clear' ? 'all_clear' : 'update';
      const mapped = mapFollowUpForm(values, ctx.profile.alerts.languages);
      if (!mapped.input)
        return refuse(reply, s, id, form, { ...values }, new AppError('validation', mapped.problem));
      try {
        const sent = await sendFollowUpOnce(ctx, s, id, { ...mapped.input, request: requestMeta(request) });
        const done = sent.duplicate ? 'duplicate-follow-up' : mapped.input.type;
        return reply.redirect(`/send/alerts/${id}?done=${done}`, 303);
      } catch (error) {
        if (!isAppError(error) || error.code === 'internal') throw error;
        return refuse(reply, s, id, form, { ...values }, error);
      }
    },
  );

  app.post(
    '/send/alerts/:id/close',
    { config: publicRoute, schema: { hide: true, params: AlertParams, body: FormBody } },
    async (request, reply) => {
      const id = alertId(request);
      const s = await breakGlassGate(ctx, request, reply, `/send/alerts/${id}`, () =>
        keptCloseForm(id, typedReason(request.body)),
      );
      if (!s) return reply;
      const { reason, problem } = mapCloseForm(request.body);
      if (problem) return refuse(reply, s, id, 'close', { reason: '' }, new AppError('validation', problem));
      try {
        await closeAlert(ctx, s, id, { reason, request: requestMeta(request) });
      } catch (error) {
        if (!isAppError(error) || error.code === 'internal') throw error;
        // A second press after the first one closed it: the alert is closed, as asked.
        const closed =
          error.code === 'invalid_transition' && (await alertStatus(ctx.db, id)).status === 'closed';
        if (!closed) return refuse(reply, s, id, 'close', { reason: reason ?? '' }, error);
      }
      return reply.redirect(`/send/alerts/${id}?done=closed`, 303);
    },
  );
}
