import { describe, expect, it } from 'vitest';
import type { Permission } from '../../identity/permissions.js';
import type { Principal } from '../../identity/principal.js';
import { loadProfile } from '../../app/profile.js';
import { mayReadNeedHelpList, streamOwner } from './tracking.policy.js';

const token = (permissions: Permission[], tokenId = 't1'): Principal => ({
  kind: 'token',
  actor: { type: 'api_token', id: tokenId, label: 'x' },
  tokenId,
  permissions: new Set(permissions),
});

describe('tracking policy', () => {
  it.each([
    [['alerts.read'], false],
    [['alerts.read', 'directory.read'], true],
    [['directory.read'], true],
  ] as const)('with %j may read the need-help list: %s', (permissions, expected) => {
    expect(mayReadNeedHelpList(token([...permissions]))).toBe(expected);
  });

  it('shows the list to MIT Emergency Management and MIT Police, not to viewers or the police chief', () => {
    const profile = loadProfile('profiles/mit.yaml');
    const sees = (role: string) =>
      mayReadNeedHelpList(token(profile.roles[role]!.permissions as Permission[]));
    expect(['emergency_management', 'police_dispatcher'].map(sees)).toEqual([true, true]);
    expect(['viewer', 'police_chief'].map(sees)).toEqual([false, false]);
  });

  it('counts streams per operator or per token', () => {
    expect(streamOwner(token(['alerts.read'], 'abc'))).toBe('token:abc');
  });
});
