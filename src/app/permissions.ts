import type { Permission } from '../identity/permissions.js';

// The permission names routes may require, composed: the identity domain's catalogue (which lists
// every domain's permissions) becomes platform's `PermissionNames`, so `requires()` is type-checked.
declare module '../platform/http/access.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the catalogue is the whole content
  interface PermissionNames extends Record<Permission, true> {}
}
