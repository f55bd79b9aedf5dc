import type { TwilioSettings } from '../../../platform/delivery-settings.js';
import { headerOf, httpClient, jsonOf, noAnswer, retryAfterMs, type HttpFailure } from './http-client.js';
import type { TwilioRefusal } from './twilio-failures.policy.js';

/** A created Message or Call. */
export interface TwilioCreated {
  status: 201;
  sid: string;
}

/** Form parameters of a create; a repeated parameter carries its values as an array. */
export type TwilioForm = Record<string, string | readonly string[]>;

/** Twilio's REST API for one account: Messages.json and Calls.json over keep-alive connections. */
export interface TwilioClient {
  create(
    resource: 'Messages' | 'Calls',
    form: TwilioForm,
  ): Promise<TwilioCreated | TwilioRefusal | HttpFailure>;
  close(): Promise<void>;
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it (space as +), without its overhead. */
function formBody(form: TwilioForm): string {
  const parts: string[] = [];
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  for (const [name, value] of Object.entries(form))
    for (const one of typeof value === 'string' ? [value] : value)
      parts.push(`${encode(name)}=${encode(one)}`);
  return parts.join('&');
}

/** The Twilio client of a provider: Basic auth, form-encoded POSTs, Twilio's error shape read. */
export function twilioClient(settings: TwilioSettings): TwilioClient {
  const http = httpClient({ connections: settings.maxInFlight, timeoutMs: settings.timeoutMs });
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  const base = `${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const urls = { Messages: new URL(`${base}/Messages.json`), Calls: new URL(`${base}/Calls.json`) };
  return {
    async create(resource, form) {
      const answer = await http.post(urls[resource], {
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: formBody(form),
      });
      if (noAnswer(answer)) return answer;
      const json = jsonOf(answer) as { sid?: unknown; code?: unknown; message?: unknown } | undefined;
      if (answer.status >= 200 && answer.status < 300 && typeof json?.sid === 'string')
        return { status: 201, sid: json.sid };
      return {
        status: answer.status >= 200 && answer.status < 300 ? 502 : answer.status,
        code: typeof json?.code === 'number' ? json.code : undefined,
        message:
          typeof json?.message === 'string'
            ? json.message
            : answer.status < 300
              ? 'answer without a sid'
              : answer.text.slice(0, 200) || `HTTP ${answer.status}`,
        retryAfterMs: retryAfterMs(headerOf(answer, 'retry-after')),
      };
    },
    close: () => http.close(),
  };
}
