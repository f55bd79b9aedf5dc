import type { FastifyReply, FastifyRequest } from 'fastify';
import { brandOf } from '../../platform/brand.js';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { AppError, errorStatus, isAppError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import type { FieldProblem } from './registration.policy.js';
import { messageBox, registrationPage } from './registration.layout.js';
import { pageLanguages, pageText, type PageText } from './registration-page-text.js';

/** Query of every page: the page language. */
export const LangQuery = Type.Object(
  { lang: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: true },
);

/** A form body: short strings only; unknown fields are ignored, never an error page. */
export const FormBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    email: Type.Optional(Type.String({ maxLength: 1000 })),
    phone: Type.Optional(Type.String({ maxLength: 1000 })),
    language: Type.Optional(Type.String({ maxLength: 100 })),
    consent: Type.Optional(Type.String({ maxLength: 100 })),
    code: Type.Optional(Type.String({ maxLength: 100 })),
    channel: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    scope: Type.Optional(Type.String({ maxLength: 100 })),
    'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: true },
);

/**
 * The page language: ?lang= when the pages have it, else the registrant's own language (links
 * in messages), else the browser's first language we have, else the profile's first.
 */
export function pageLanguage(ctx: AppContext, request: FastifyRequest, own?: string): string {
  const query = (request.query as { lang?: string } | undefined)?.lang;
  if (query && pageLanguages.includes(query)) return query;
  if (own && pageLanguages.includes(own)) return own;
  const accepted = String(request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase().split('-')[0]!);
  return accepted.find((l) => pageLanguages.includes(l)) ?? ctx.profile.alerts.languages[0]!;
}

/** The CSRF token to embed when a signed-in operator opens the page (their cookie rides along). */
export function sessionCsrf(request: FastifyRequest): string | null {
  return request.principal?.kind === 'session' ? request.principal.csrfToken : null;
}

/** Send a page: HTML, never cached (codes and addresses), status as given. */
export function sendPage(
  ctx: AppContext,
  reply: FastifyReply,
  frame: { language: string; title: string; path: string },
  body: SafeHtml,
  status = 200,
) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      registrationPage(
        {
          ...frame,
          institution: ctx.profile.institution.name,
          brand: brandOf(ctx.profile.branding),
          // The public site's page in this language: the primary one at /, the others beside it.
          emergencyPagePath:
            frame.language === ctx.profile.alerts.languages[0] ? '/' : `/index.${frame.language}.html`,
        },
        body,
      ),
    );
}

/** A page that only says something went wrong and what to do. */
export function sendProblemPage(
  ctx: AppContext,
  reply: FastifyReply,
  language: string,
  path: string,
  error: AppError,
) {
  const t = pageText(language);
  const disabled = reasonOf(error) === 'disabled';
  const elsewhere = ctx.profile.institution.extendedCommunityUrl;
  const body = disabled
    ? html`<p>${t.disabled(ctx.profile.institution.name)}</p>
        ${elsewhere ? html`<p><a href="${elsewhere}">${t.moreInformation}</a></p>` : ''}`
    : messageBox(
        'error',
        error.code === 'not_found' ? notFoundText(t, error) : localMessage(t, language, error),
      );
  const title = ctx.profile.institution.alertProgramName;
  return sendPage(ctx, reply, { language, title, path }, body, errorStatus(error.code));
}

function notFoundText(t: PageText, error: AppError): string {
  return reasonOf(error) === 'link' ? (t.reasons.link ?? t.notFound) : t.notFound;
}

/** The user-facing message of a domain error in the page language (the English message by default). */
export function localMessage(t: PageText, language: string, error: AppError): string {
  if (language === 'en') return error.message;
  const reason = reasonOf(error);
  const text = reason ? t.reasons[reason] : undefined;
  if (!text) return error.message;
  const left = (error.details as { attemptsLeft?: number } | undefined)?.attemptsLeft;
  return left === undefined ? text : `${text} ${t.attemptsLeft(left)}`;
}

/** Field problems of a refused registration, by field, in the page language. */
export function fieldProblems(t: PageText, error: AppError): Record<string, string> {
  const problems = Array.isArray(error.details) ? (error.details as FieldProblem[]) : [];
  const byField: Record<string, string> = {};
  for (const p of problems) byField[p.field] ??= t.problems[`${p.field}.${p.problem}`] ?? p.message;
  return byField;
}

function reasonOf(error: AppError): string | undefined {
  const details = error.details as { reason?: unknown } | undefined;
  return typeof details?.reason === 'string' ? details.reason : undefined;
}

/** Run a page action; a domain error becomes `show(error)`, anything else stays a server error. */
export async function withPageErrors<T>(action: () => Promise<T>, show: (error: AppError) => T | Promise<T>) {
  try {
    return await action();
  } catch (error) {
    if (!isAppError(error) || error.code === 'internal') throw error;
    return show(error);
  }
}
