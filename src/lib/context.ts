import type { ConsoleRole, Permission } from '../contracts/permissions.js';

/** Who made a change: an API key, a console user, a portal member, or the system itself (jobs, CLI, demo loader). */
export type Actor = { type: 'key' | 'user' | 'member' | 'system'; id: string };

/** What every service call acting for a program carries: the tenant and the actor. */
export type RequestContext = {
  programId: string;
  actor: Actor;
  requestId?: string;
  /**
   * The console role of a user; for a scoped API key `program_manager` (it may never manage owners);
   * absent for unrestricted keys, members and the system.
   */
  role?: ConsoleRole;
  /** What the caller may do over HTTP; absent for system work (jobs, CLI, demo), which is not checked. */
  permissions?: ReadonlySet<Permission>;
  /** Set for an account manager who sees only the accounts they manage: lists are narrowed to them. */
  accountScope?: { managerId: string };
};
