import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { retryAfterSeconds, withFaults, type FailureReply, type SimReply } from './http-faults.js';
import type { SimContext } from './sim-context.js';

const deliveryIdOf = (request: FastifyRequest) => {
  const id = request.headers['x-tocsin-delivery-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
};

// Post ids look like the real ones (X: a 19-digit snowflake; Facebook: pageId_postId) and never repeat.
let postCounter = 0;
const snowflake = () =>
  (BigInt(Date.now() - 1_288_834_974_657) * 4_194_304n + BigInt(++postCounter % 4_194_304)).toString();

/** An X API v2 problem document. */
function xProblem(status: number, title: string, detail: string, headers?: Record<string, string>): SimReply {
  return { status, headers, body: { title, detail, type: 'about:blank', status } };
}

const xFailure: FailureReply = (kind, status, wait) =>
  kind === 'rate'
    ? xProblem(429, 'Too Many Requests', 'Too Many Requests', { 'retry-after': retryAfterSeconds(wait) })
    : xProblem(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', `simulated ${kind}`);

function createTweet(sim: SimContext, request: FastifyRequest): SimReply {
  const auth = request.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!token || (sim.settings.xBearerToken !== undefined && token !== sim.settings.xBearerToken))
    return xProblem(401, 'Unauthorized', 'Unauthorized');
  const text = (request.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '')
    return xProblem(400, 'Invalid Request', 'One or more parameters to your request was invalid: text.');
  if ([...text].length > 280)
    return xProblem(403, 'Forbidden', 'You are not permitted to create a Tweet longer than 280 characters.');
  const now = Date.now();
  const id = snowflake();
  const deliveryId = deliveryIdOf(request);
  sim.store.add({
    channel: 'x',
    id,
    at: now,
    to: null,
    from: null,
    body: text,
    deliveryId: deliveryId ?? null,
  });
  sim.stats.accept('x', deliveryId, now);
  return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
}

/** A Graph API error object. */
function graphError(status: number, code: number, message: string, transient = false): SimReply {
  return {
    status,
    rejectCode: `${status}:${code}`,
    body: {
      error: {
        message,
        type: code === 190 || code === 2500 ? 'OAuthException' : 'GraphMethodException',
        code,
        is_transient: transient,
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

// Graph API throttling answers HTTP 400 with code 32 (page request limit), not 429.
const facebookFailure: FailureReply = (kind, status) =>
  kind === 'rate'
    ? graphError(400, 32, '(#32) Page request limit reached', true)
    : graphError(
        status,
        status === 503 ? 2 : 1,
        'An unexpected error has occurred. Please retry your request later.',
        true,
      );

function createPagePost(sim: SimContext, request: FastifyRequest): SimReply {
  const { pageId } = request.params as { version: string; pageId: string };
  const fields = {
    ...(request.query as Record<string, unknown>),
    ...(request.body as Record<string, unknown>),
  };
  const token = typeof fields.access_token === 'string' ? fields.access_token : '';
  const bearer = request.headers.authorization?.replace(/^(Bearer|OAuth) /, '');
  const given = token || bearer || '';
  if (!given)
    return graphError(
      400,
      2500,
      'An active access token must be used to query information about the current user.',
    );
  if (sim.settings.facebookAccessToken !== undefined && given !== sim.settings.facebookAccessToken)
    return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  const message = typeof fields.message === 'string' ? fields.message : '';
  const link = typeof fields.link === 'string' ? fields.link : '';
  if (!message && !link) return graphError(400, 100, '(#100) Missing message or attachment');
  const now = Date.now();
  const id = `${pageId}_${snowflake()}`;
  const deliveryId = deliveryIdOf(request);
  sim.store.add({
    channel: 'facebook',
    id,
    at: now,
    to: pageId,
    from: null,
    body: message,
    deliveryId: deliveryId ?? null,
    details: link ? { link } : undefined,
  });
  sim.stats.accept('facebook', deliveryId, now);
  return { status: 200, body: { id } };
}

/** X API v2 (POST /2/tweets) and the Facebook Graph page feed (POST /v19.0/:pageId/feed, any version). */
export function registerSocialRoutes(app: FastifyInstance, sim: SimContext): void {
  app.post(
    '/2/tweets',
    withFaults(sim, 'x', xFailure, (r) => createTweet(sim, r)),
  );
  app.post(
    '/:version(^v\\d+\\.\\d+$)/:pageId/feed',
    withFaults(sim, 'facebook', facebookFailure, (r) => createPagePost(sim, r)),
  );
}
