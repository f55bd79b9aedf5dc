import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { sseComment, sseEvent, sseHeaders } from '../alerts/tracking/sse.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { sitePaths } from './public-paths.js';
import type { PublicSiteCache } from './public-site-cache.js';

/** The open signage streams of this process. */
export type SignageStreams = Set<PassThrough>;

/** At most this many displays per server process; past it, they poll signage.json instead. */
const maxSignageStreams = 5_000;
/** A `ping` event this often: the display's proof that the stream is alive (a buffering proxy would hold it). */
const signagePingMs = 15_000;

async function signageEvent(
  cache: PublicSiteCache,
  lang: string,
): Promise<{ version: string; data: string }> {
  const sc = await cache.current();
  const file = await cache.file(sitePaths.signageJson(lang, sc.primary));
  if (!file) throw new AppError('validation', `The public site has no language "${lang}".`);
  const data = file.body.toString('utf8').trim();
  return { version: (JSON.parse(data) as { version: string }).version, data };
}

/**
 * GET /signage/events: a `signage` event with the display state now and after every change that
 * alters it (the cache reloads within half a second of a send, update, all-clear or close), a
 * `ping` every 15 s.
 */
export async function streamSignage(
  ctx: AppContext,
  cache: PublicSiteCache,
  streams: SignageStreams,
  lang: string | undefined,
  accept: string | undefined,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // EventSource always asks for text/event-stream; anything else would hang on a stream it cannot read.
  if (!accept?.includes('text/event-stream'))
    throw new AppError(
      'not_acceptable',
      'This is a server-sent-event stream: open it with EventSource (Accept: text/event-stream), or poll signage.json.',
    );
  const language = lang ?? ctx.profile.alerts.languages[0]!;
  if (!ctx.profile.alerts.languages.includes(language))
    throw new AppError(
      'validation',
      `The public site has no language "${language}" (it has ${ctx.profile.alerts.languages.join(', ')}).`,
    );
  if (streams.size >= maxSignageStreams)
    throw new AppError('unavailable', 'This server has as many displays as it can take; poll signage.json.');
  let sent = '';
  const first = await signageEvent(cache, language);
  const body = new PassThrough();
  const write = (event: { version: string; data: string }) => {
    if (event.version === sent) return;
    sent = event.version;
    body.write(sseEvent({ id: event.version, event: 'signage', data: event.data, retryMs: 3000 }));
  };
  const onChange = () => {
    signageEvent(cache, language).then(write, (error: unknown) =>
      ctx.log.warn({ err: error }, 'signage stream could not render'),
    );
  };
  const ping = setInterval(
    () => body.write(sseEvent({ event: 'ping', data: String(Date.now()) })),
    signagePingMs,
  );
  ping.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    cache.off('change', onChange);
    streams.delete(body);
    body.end();
  };
  streams.add(body);
  cache.on('change', onChange);
  reply.raw.once('close', close);
  body.once('finish', close);
  body.write(sseComment('signage'));
  write(first);
  return reply.headers(sseHeaders).send(body);
}
