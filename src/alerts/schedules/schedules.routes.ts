import { Type } from 'typebox';
import { principalOf } from '../../identity/request-principal.js';
import { requires } from '../../platform/http/access.js';
import { requestMeta } from '../../platform/http/request-meta.js';
import { errorResponses, IdParams, OkResponse } from '../../platform/http/schemas.js';
import type { RoutePlugin } from '../../platform/http/server.js';
import { cancelSchedule } from './cancel-schedule.js';
import { scheduleAlert } from './schedule-alert.js';
import { scheduleDetail, scheduleList } from './schedule-views.js';
import { scheduleStatuses } from './schedules.policy.js';
import { ScheduleBody, ScheduleList, ScheduleView } from './schedules.schema.js';

const tags = ['alerts'];

/** Scheduled test and exercise alerts: make, list, read and cancel them. */
export const scheduleRoutes: RoutePlugin = (app, ctx) => {
  const timeZone = ctx.profile.institution.timezone;

  app.post(
    '/api/v1/alert-schedules',
    {
      config: requires('alerts.send.test'),
      schema: {
        tags,
        summary: 'Schedule a test or exercise alert for a time, once or recurring',
        description:
          'The send request is the body of POST /api/v1/alerts without the emergency record; only kinds test and exercise are accepted. The sweep sends it within seconds of firesAt as the operator who scheduled it, after checking again that they may send tests; reminders go by email at the profile’s alerts.schedules.reminderOffsets before it. A recurrence repeats it every N months on a day at a time in the institution’s time zone (daylight saving kept). Needs an operator’s session (an API token is refused).',
        body: ScheduleBody,
        response: { 201: ScheduleView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = await scheduleAlert(ctx, principalOf(request), request.body, requestMeta(request));
      return reply.status(201).send(await scheduleDetail(ctx.db, timeZone, id));
    },
  );

  app.get(
    '/api/v1/alert-schedules',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary:
          'Scheduled sends: those still to fire first (soonest first), then sent, failed and cancelled',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(scheduleStatuses)),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScheduleList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ schedules: await scheduleList(ctx.db, timeZone, request.query) }),
  );

  app.get(
    '/api/v1/alert-schedules/:id',
    {
      config: requires('alerts.read'),
      schema: {
        tags,
        summary: 'One scheduled send with its reminders and notices (their text and who got them)',
        params: IdParams,
        response: { 200: ScheduleView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => scheduleDetail(ctx.db, timeZone, request.params.id),
  );

  app.delete(
    '/api/v1/alert-schedules/:id',
    {
      config: requires('alerts.send.test'),
      schema: {
        tags,
        summary: 'Cancel a scheduled send before it fires: nothing is sent, a recurring one stops',
        params: IdParams,
        response: { 200: OkResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await cancelSchedule(ctx, principalOf(request), request.params.id, requestMeta(request));
      return { ok: true as const };
    },
  );
};
