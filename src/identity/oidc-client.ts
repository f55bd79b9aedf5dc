import * as client from 'openid-client';
import type { Config, OidcConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';

type Claims = Record<string, client.JsonValue | undefined>;

/** What one authorization request needs remembered until the IdP sends the person back. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The person the IdP vouched for: who they are, their groups, how they authenticated and their profile claims. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  groups: string[];
  amr: string[];
  claims: Claims;
}

/** The one-time values an authorization response is checked against. */
export interface CallbackChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

// One discovery per configuration and process; a failed discovery is forgotten so the next sign-in retries it.
const configurations = new WeakMap<OidcConfig, Promise<client.Configuration>>();
const timeoutSeconds = 10;

/** The IdP's discovered metadata and this client's credentials, fetched once and cached. */
function oidcConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  let found = configurations.get(oidc);
  if (!found) {
    found = discover(oidc);
    configurations.set(oidc, found);
    found.catch(() => configurations.delete(oidc));
  }
  return found;
}

async function discover(oidc: OidcConfig): Promise<client.Configuration> {
  const execute = oidc.allowHttp ? [client.allowInsecureRequests] : [];
  try {
    const discovered = await client.discovery(new URL(oidc.issuer), oidc.clientId, undefined, undefined, {
      execute,
      timeout: timeoutSeconds,
    });
    // client_secret_basic is the registration default (OpenID Connect Registration 1.0 §2); use post only when basic is not offered.
    const methods = discovered.serverMetadata().token_endpoint_auth_methods_supported;
    const auth =
      !methods || methods.includes('client_secret_basic')
        ? client.ClientSecretBasic
        : client.ClientSecretPost;
    const configuration = new client.Configuration(
      discovered.serverMetadata(),
      oidc.clientId,
      oidc.clientSecret,
      auth(oidc.clientSecret),
    );
    for (const apply of execute) apply(configuration);
    configuration.timeout = timeoutSeconds;
    return configuration;
  } catch (error) {
    throw idpError(error);
  }
}

/** The callback URL registered at the IdP: Tocsin's public URL plus the callback route. */
function callbackUrl(config: Config): string {
  return `${config.publicUrl}/api/v1/auth/oidc/callback`;
}

/** A fresh authorization request with state, nonce and a PKCE (S256) verifier. */
export async function authorizationRequest(config: Config, oidc: OidcConfig): Promise<AuthorizationRequest> {
  const configuration = await oidcConfiguration(oidc);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(config),
    response_type: 'code',
    scope: oidc.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url, state, nonce, codeVerifier };
}

/**
 * Check the authorization response, redeem the code and read the identity. Groups come from the
 * ID token's groups claim, or from the userinfo endpoint when the ID token leaves them out.
 */
export async function redeemCode(
  config: Config,
  oidc: OidcConfig,
  query: URLSearchParams,
  checks: CallbackChecks,
): Promise<OidcIdentity> {
  const configuration = await oidcConfiguration(oidc);
  try {
    const current = new URL(`${callbackUrl(config)}?${query.toString()}`);
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken)
      throw new AppError(
        'unauthenticated',
        'The single sign-on provider sent no ID token. Ask its administrators to enable OpenID Connect for Tocsin.',
      );
    let claims: Claims = { ...idToken };
    if (claims[oidc.groupsClaim] === undefined) {
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      claims = { ...userinfo, ...idToken };
    }
    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      groups: strings(claims[oidc.groupsClaim]),
      amr: strings(idToken.amr),
      claims,
    };
  } catch (error) {
    throw idpError(error);
  }
}

/** A claim that should list strings, tolerating a single string (some IdPs send one group that way). */
function strings(value: client.JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/** openid-client's failures as errors a person can act on: the IdP refused, answered wrongly, or could not be reached. */
function idpError(error: unknown): Error {
  if (error instanceof AppError) return error;
  const again = 'Start again from the sign-in page; if it keeps failing, tell your administrator.';
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    const said = error.error_description ? `${error.error_description} (${error.error})` : error.error;
    return new AppError(
      'unauthenticated',
      `The single sign-on provider did not sign you in: ${said}. ${again}`,
      { idpError: error.error },
    );
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    return new AppError(
      'unauthenticated',
      `The single sign-on provider refused to share your profile. ${again}`,
    );
  }
  if (error instanceof client.ClientError) {
    return new AppError(
      'unauthenticated',
      `The single sign-on provider's answer failed verification (${error.message}). ${again}`,
      {
        check: error.code,
      },
    );
  }
  if (unreachable(error)) {
    return new AppError(
      'unavailable',
      'The single sign-on provider could not be reached. Try again in a few minutes, or sign in with your Tocsin password.',
      undefined,
      { retryAfterSeconds: 60 },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Network failures and timeouts talking to the IdP (fetch reports both without a dedicated class). */
function unreachable(error: unknown): boolean {
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'AbortError';
  return error instanceof TypeError && error.message === 'fetch failed';
}
