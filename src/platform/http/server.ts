import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { installErrorHandler } from './error-handler.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A set of routes from one domain. */
export type RoutePlugin = (app: App, ctx: AppContext) => void | Promise<void>;

/**
 * A handler that may answer a raw request before the server routes it (true: answered). Only for
 * answers already prepared in memory whose headers match what their routes would send.
 */
export type RawRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** What the composition root hands the server: who may call what, the routes, and the fast paths. */
export interface ServerPlan {
  /** Installs authentication and authorization hooks before any route registers (the identity domain's). */
  accessControl: (app: App, ctx: AppContext) => void;
  routes: RoutePlugin[];
  fastPaths?: Array<(ctx: AppContext) => RawRequestHandler>;
  /** Origins beyond Tocsin's own that pages may load images from (a self-hosted map tile server). */
  imageSources?: (ctx: AppContext) => string[];
}

/**
 * One log line per request, when it completes, at its route's level (`requestLog`, default info),
 * instead of Fastify's two at info: a provider's thousands of status callbacks a second during an
 * alert cost the server a fifth of its time in logging. Errors are logged as Fastify logs them.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (error) return super.requestCompleted(error, request, reply, metadata);
    const level = request.routeOptions.config?.requestLog ?? 'info';
    request.log[level](
      {
        req: { method: request.method, url: request.url, remoteAddress: request.ip },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  }
}

/** Build the HTTP server: validation, errors, request ids, access control, OpenAPI, metrics, then the routes. */
export async function buildServer(ctx: AppContext, plan: ServerPlan): Promise<App> {
  const { accessControl, routes, fastPaths = [] } = plan;
  const handlers = fastPaths.map((make) => make(ctx));
  const app = Fastify({
    serverFactory: (route) => {
      const server = createServer((request, response) => {
        for (const answer of handlers) if (answer(request, response)) return;
        route(request, response);
      });
      // What Fastify sets on the servers it creates itself.
      server.keepAliveTimeout = 72_000;
      return server;
    },
    loggerInstance: ctx.log.child({ component: 'http' }),
    logController: new RequestLog(),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1_048_576,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  installErrorHandler(app);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  // Security headers from helmet, built once: @fastify/helmet rebuilds the middleware (and re-parses
  // the CSP) on every request, about a fifth of the server's CPU on a busy public page.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(plan.imageSources?.(ctx) ?? [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.publicUrl.startsWith('https:'),
    // no-referrer (helmet's default) makes Chromium send "Origin: null" on same-site form posts,
    // which the Origin check must refuse; same-origin keeps URLs private off-site and Origin intact.
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, next) => {
    securityHeaders(request.raw, reply.raw, () => next());
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tocsin API',
        version: '1',
        description: `Campus public-safety platform for ${ctx.profile.institution.name}. Authenticate with an operator session cookie (plus the X-CSRF-Token header on changes) or an API token as "Authorization: Bearer tocsin_…".`,
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tocsin_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list' },
  });
  accessControl(app, ctx);
  for (const register of routes) await register(app, ctx);
  return app;
}
