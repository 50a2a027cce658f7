import type { Permission } from '@contracts/permissions';

export type { Permission };

/**
 * Whether the signed-in console user may do something, from the permissions the server sent
 * with the session (the same list the server checks on every route: src/contracts/permissions.ts).
 * An API key acts for the whole program. Hiding a button is comfort; the server is the judge.
 */
export function can(permissions: readonly string[] | null, permission: Permission): boolean {
  return permissions === null || permissions.includes(permission);
}
