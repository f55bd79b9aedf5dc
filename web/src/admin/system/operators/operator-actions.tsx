import type { ReactNode } from 'react';
import { api } from '../../../api/client';
import { plural } from '../../../common/format';
import type { Operator, WithSecret } from './operator-types';

/** One change to an operator, with the words of its confirm step and what to say once done. */
export interface OperatorAction {
  key: string;
  /** The button that opens the confirm step. */
  label: string;
  title: string;
  confirmLabel: string;
  danger: boolean;
  explain: ReactNode;
  /** Does it; resolves with the notice to show (and a new one-time secret for a password reset). */
  run: () => Promise<{ notice: string; secret?: string }>;
}

const base = (o: Operator) => `/api/v1/operators/${o.id}`;

/** The account changes an operator with operators.manage can make (the API checks each again). */
export function operatorActions(o: Operator, self: boolean): OperatorAction[] {
  const yourself = self ? ' This is your own account: you will be signed out here too.' : '';
  return [
    o.disabled
      ? {
          key: 'enable',
          label: 'Enable…',
          title: `Enable ${o.displayName}?`,
          confirmLabel: 'Enable operator',
          danger: false,
          explain: <p>They can sign in again with their password (and MFA when their roles need it).</p>,
          run: async () => {
            await api(`${base(o)}/disabled`, { method: 'PUT', body: { disabled: false } });
            return { notice: `${o.displayName} is enabled.` };
          },
        }
      : {
          key: 'disable',
          label: 'Disable…',
          title: `Disable ${o.displayName}?`,
          confirmLabel: 'Disable operator',
          danger: true,
          explain: <p>Every session of theirs ends now and they cannot sign in until enabled again.</p>,
          run: async () => {
            await api(`${base(o)}/disabled`, { method: 'PUT', body: { disabled: true } });
            return { notice: `${o.displayName} is disabled and signed out everywhere.` };
          },
        },
    {
      key: 'mfa',
      label: 'Reset MFA…',
      title: `Reset MFA of ${o.displayName}?`,
      confirmLabel: 'Reset MFA',
      danger: true,
      explain: (
        <p>
          Their authenticator is forgotten and their sessions end; at their next sign-in they enrol a new one.
          {yourself}
        </p>
      ),
      run: async () => {
        await api(`${base(o)}/mfa-reset`, { method: 'POST', body: {} });
        return { notice: `MFA of ${o.displayName} is reset; they enrol again at their next sign-in.` };
      },
    },
    {
      key: 'password',
      label: 'Reset password…',
      title: `Reset the password of ${o.displayName}?`,
      confirmLabel: 'Reset password',
      danger: true,
      explain: (
        <p>
          Their password stops working, their sessions end and the account is unlocked. Tocsin answers with a
          one-time secret, shown once, for them to sign in and choose a new password.{yourself}
        </p>
      ),
      run: async () => {
        const reset = await api<WithSecret>(`${base(o)}/password-reset`, { method: 'POST', body: {} });
        return { notice: `Password of ${o.displayName} is reset.`, secret: reset.oneTimeSecret };
      },
    },
    {
      key: 'sessions',
      label: 'End sessions…',
      title: `Sign ${o.displayName} out everywhere?`,
      confirmLabel: 'End sessions',
      danger: true,
      explain: <p>Every open session of theirs ends now; they can sign in again.{yourself}</p>,
      run: async () => {
        const { ended } = await api<{ ended: number }>(`${base(o)}/sessions`, { method: 'DELETE' });
        return { notice: `Ended ${plural(ended, 'session')} of ${o.displayName}.` };
      },
    },
  ];
}
