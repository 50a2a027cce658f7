import type { ConsoleRole } from './api/auth-api';

/**
 * What each console role may do, as the UI shows it. The server checks the same on every
 * route; this only hides buttons that would answer 403.
 */
export type Permission = 'rules.write' | 'rewards.write' | 'redemptions.manage' | 'adjustments.write' | 'apiKeys.manage' | 'audit.read';

const GRANTS: Record<ConsoleRole, readonly Permission[]> = {
  owner: ['rules.write', 'rewards.write', 'redemptions.manage', 'adjustments.write', 'apiKeys.manage', 'audit.read'],
  program_manager: ['rules.write', 'rewards.write', 'redemptions.manage', 'adjustments.write', 'audit.read'],
  account_manager: ['redemptions.manage', 'adjustments.write'],
  viewer: [],
};

/** An API key acts for the whole program, like an owner. */
export function can(role: ConsoleRole | null, permission: Permission): boolean {
  return GRANTS[role ?? 'owner'].includes(permission);
}
