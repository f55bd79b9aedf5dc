import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/server.js';
import { invalidSyntax } from './scim-errors.js';

// A SCIM DELETE carries no body (RFC 7644 §3.6), but Entra ID and other clients send one with a
// Content-Type and Content-Length: 0. Fastify treats DELETE as a method that may have a body, so it
// runs the JSON parser, whose answer to an empty body is a 400.
const bodilessMethods = new Set(['DELETE']);

type Done = (error: Error | null, body?: unknown) => void;

/**
 * JSON bodies in the two media types SCIM clients send (RFC 7644 §3.1), inside the SCIM scope: an
 * empty body is no body on a DELETE and a SCIM 400 invalidSyntax on POST, PUT and PATCH.
 */
export function installScimBodyParsing(scope: App): void {
  const json = scope.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, body: string, done: Done) => {
    if (body.length > 0) return void json(request, body, done);
    if (bodilessMethods.has(request.method)) return done(null, undefined);
    done(
      invalidSyntax(
        `The request body is empty: ${request.method} ${request.url.split('?')[0]} needs a SCIM message in JSON.`,
      ),
      undefined,
    );
  };
  for (const type of ['application/scim+json', 'application/json'])
    scope.addContentTypeParser(type, { parseAs: 'string' }, parse);
}
