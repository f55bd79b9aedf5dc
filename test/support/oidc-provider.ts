import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no type declarations (@types/oidc-provider is not installed); OidcProvider below types what we use.
import Provider from 'oidc-provider';

/** A person the test IdP knows, and what it asserts about them. */
export interface IdpUser {
  sub: string;
  groups: string[];
  preferredUsername?: string;
  email?: string;
  name?: string;
  /** Authentication methods the IdP reports in the ID token (omit: no amr claim). */
  amr?: string[];
  /** Where the IdP puts the groups claim: the ID token (default) or only the userinfo endpoint. */
  groupsIn?: 'id_token' | 'userinfo';
}

/** A real OpenID Connect provider on 127.0.0.1 with one confidential client, driven by the test. */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Environment variables that point Tocsin at this IdP. */
  env: Record<string, string>;
  /** Add or change a user; later sign-ins see the change. */
  setUser(user: IdpUser): void;
  /** Follow an authorization URL through the IdP as this person (or refuse, as if they cancelled) to the redirect back to Tocsin. */
  authorize(authorizationUrl: string, as: string | 'refuse'): Promise<URL>;
  close(): Promise<void>;
}

interface Interaction {
  uid: string;
  params: { client_id: string; scope: string };
}
interface Grant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface OidcProvider {
  callback(): http.RequestListener;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: object,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => Grant;
}

const maxHops = 10;

/** Start an oidc-provider whose client redirects to `redirectUri`; interactions are answered by `authorize`. */
export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const users = new Map<string, IdpUser>();
  const pending = new Map<string, string>();
  const clientId = 'tocsin-test';
  const clientSecret = randomBytes(24).toString('hex');
  // Listen first: the issuer URL (and so the provider) needs the port.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(
    issuer,
    providerConfiguration(users, { clientId, clientSecret, redirectUri }),
  ) as OidcProvider;
  const handle = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    interact(provider, req, res, users, pending).catch((error: unknown) =>
      res.writeHead(500).end(String(error)),
    );
  });
  return {
    issuer,
    clientId,
    clientSecret,
    env: {
      TOCSIN_OIDC_ISSUER: issuer,
      TOCSIN_OIDC_CLIENT_ID: clientId,
      TOCSIN_OIDC_CLIENT_SECRET: clientSecret,
      TOCSIN_OIDC_ALLOW_HTTP: 'true',
    },
    setUser: (user) => void users.set(user.sub, user),
    authorize: (url, as) => followRedirects(url, redirectUri, (uid) => pending.set(uid, as)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function providerConfiguration(
  users: Map<string, IdpUser>,
  client: { clientId: string; clientSecret: string; redirectUri: string },
) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: {
      amr: null,
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
      openid: ['sub', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    // Put scope claims in the ID token too, so a user's `groupsIn` decides where the groups appear.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      Grant: 300,
      IdToken: 300,
      Interaction: 300,
      Session: 300,
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: Interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = users.get(sub);
      return user && { accountId: sub, claims: (use: string) => claimsOf(user, use) };
    },
  };
}

function claimsOf(user: IdpUser, use: string): Record<string, unknown> {
  const groupsHere = (user.groupsIn ?? 'id_token') === use;
  return {
    sub: user.sub,
    preferred_username: user.preferredUsername,
    email: user.email,
    name: user.name,
    ...(groupsHere ? { groups: user.groups } : {}),
  };
}

/** Answer a login interaction at once: sign in the person the test named, with their amr, and consent to the scopes. */
async function interact(
  provider: OidcProvider,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  users: Map<string, IdpUser>,
  pending: Map<string, string>,
) {
  const details = await provider.interactionDetails(req, res);
  const user = users.get(pending.get(details.uid) ?? '');
  if (!user) {
    const refused = { error: 'access_denied', error_description: 'The person cancelled the sign-in' };
    return provider.interactionFinished(req, res, refused, { mergeWithLastSubmission: false });
  }
  const grant = new provider.Grant({ accountId: user.sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const result = { login: { accountId: user.sub, amr: user.amr }, consent: { grantId: await grant.save() } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/** Follow the IdP's redirects with a small cookie jar until one leads to the redirect URI; at most `maxHops`. */
async function followRedirects(
  start: string,
  redirectUri: string,
  onInteraction: (uid: string) => void,
): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < maxHops; hop += 1) {
    if (url.href.startsWith(`${redirectUri}?`)) return url;
    const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (interaction) onInteraction(interaction[1]!);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    const location = response.headers.get('location');
    if (!location)
      throw new Error(
        `IdP answered ${response.status} at ${url.pathname} without a redirect: ${await response.text()}`,
      );
    url = new URL(location, url);
  }
  throw new Error(`No redirect back to ${redirectUri} after ${maxHops} hops`);
}
