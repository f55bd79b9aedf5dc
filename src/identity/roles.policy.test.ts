import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../app/profile.js';
import { packageRoot } from '../platform/config.js';
import { sendingRoles } from './roles.policy.js';

const mit = loadProfile(path.join(packageRoot, 'profiles', 'mit.yaml'));

describe('sendingRoles (MIT: only Emergency Management and the MIT Police send)', () => {
  it.each([
    [['emergency_management'], ['emergency_management']],
    [['police_dispatcher', 'viewer'], ['police_dispatcher']],
    [['administrator'], []],
    [['administrator', 'directory_manager', 'police_chief', 'semo_director'], []],
    [
      ['viewer', 'emergency_management', 'police_dispatcher'],
      ['emergency_management', 'police_dispatcher'],
    ],
    [['no_such_role'], []],
    [[], []],
  ])('of %j is %j', (roles, expected) => {
    expect(sendingRoles(mit, roles)).toEqual(expected);
  });
});
