import { useState, type FormEvent } from 'react';
import { api, errorMessage, setCsrfToken } from '../api/client';
import type { ConsoleSettings, SignInStage } from './session-types';

interface StageReply {
  stage: SignInStage;
  csrfToken: string;
}

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

interface Props {
  settings: ConsoleSettings;
  /** Where an unfinished earlier sign-in stopped (password change or MFA); null to start. */
  stage: SignInStage | null;
  /** Signed in: the session is active. */
  onDone: () => void;
  /** Shown inside the "signed out" dialog: work in the page behind it is kept. */
  reauthenticating?: boolean;
}

/** The TOTP code box of the enrolment and verification steps. */
function CodeField({ label }: { label: string }) {
  return (
    <>
      <label htmlFor="code">{label}</label>
      <input
        id="code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,8}"
        required
        autoFocus
      />
    </>
  );
}

/** Password, then the steps the server asks for (new password, MFA enrolment, MFA code). */
export function SignIn({ settings, stage: initialStage, onDone, reauthenticating = false }: Props) {
  const [stage, setStage] = useState<SignInStage | null>(initialStage);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);

  const advance = async (reply: StageReply) => {
    setError(null);
    setCsrfToken(reply.csrfToken);
    if (reply.stage === 'active') return onDone();
    if (reply.stage === 'mfa_enrol')
      setEnrolment(await api<Enrolment>('/api/v1/auth/mfa/enrolment', { body: {} }));
    setStage(reply.stage);
  };
  const submit =
    (run: (form: FormData) => Promise<StageReply>) => async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setBusy(true);
      try {
        await advance(await run(new FormData(event.currentTarget)));
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(false);
      }
    };
  const field = (form: FormData, name: string) => String(form.get(name) ?? '');

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">
        {reauthenticating ? 'Sign in again to continue' : `${settings.institution.shortName} Tocsin sign-in`}
      </h1>
      {reauthenticating && <p>Your session ended. What you were doing is kept; sign in and carry on.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {stage === null && (
        <form
          onSubmit={submit((f) =>
            api<StageReply>('/api/v1/auth/login', {
              body: { username: field(f, 'username'), password: field(f, 'password') },
            }),
          )}
        >
          <label htmlFor="username">Username</label>
          <input id="username" name="username" autoComplete="username" required autoFocus />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      {stage === 'password_change' && (
        <form
          onSubmit={submit((f) =>
            api<StageReply>('/api/v1/auth/password', { body: { newPassword: field(f, 'newPassword') } }),
          )}
        >
          <p>Choose your own password (at least 12 characters).</p>
          <label htmlFor="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            autoFocus
          />
          <button type="submit" disabled={busy}>
            Save password
          </button>
        </form>
      )}
      {stage === 'mfa_enrol' && enrolment && (
        <form
          onSubmit={submit((f) =>
            api<StageReply>('/api/v1/auth/mfa/enrolment/confirm', { body: { code: field(f, 'code') } }),
          )}
        >
          <p>
            Your role needs a second factor. Scan this code with an authenticator app, then type the 6-digit
            code it shows.
          </p>
          <img
            className="qr"
            alt="QR code for your authenticator app"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
          />
          <p>
            Or type this key into the app: <code>{enrolment.secret}</code>
          </p>
          <CodeField label="6-digit code" />
          <button type="submit" disabled={busy}>
            Confirm
          </button>
        </form>
      )}
      {stage === 'mfa_verify' && (
        <form
          onSubmit={submit((f) =>
            api<StageReply>('/api/v1/auth/mfa/verify', { body: { code: field(f, 'code') } }),
          )}
        >
          <CodeField label="6-digit code from your authenticator app" />
          <button type="submit" disabled={busy}>
            Verify
          </button>
        </form>
      )}
      {stage === null && settings.ssoEnabled && (
        <p>
          <a
            href={`/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(location.pathname + location.search)}`}
          >
            Sign in with {settings.institution.shortName} single sign-on
          </a>
        </p>
      )}
      {!reauthenticating && (
        <p className="break-glass-link">
          Console not working? <a href={settings.breakGlassPath}>Send an alert with the plain form</a>.
        </p>
      )}
    </section>
  );
}
