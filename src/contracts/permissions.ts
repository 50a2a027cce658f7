/**
 * What a console user may do. Every server route under `/api/v1` names one of these (or is
 * public, or belongs to the partner portal) in `src/http/route-access.ts`; the web app uses the
 * same list to hide what a role cannot use. The server is the judge: hiding is only comfort.
 *
 * Example: a viewer's `GET /api/v1/auth/me` lists `["program:read", "accounts:read", …]`, and
 * `POST /api/v1/rules` answers it `403 FORBIDDEN`.
 */
export const PERMISSIONS = [
  'program:read',
  'program:write',
  'api_keys:manage',
  'accounts:read',
  'accounts:write',
  'value:adjust',
  'events:read',
  'events:write',
  'rules:read',
  'rules:write',
  'tiers:read',
  'tiers:write',
  'rewards:read',
  'rewards:write',
  'redemptions:read',
  'redemptions:write',
  'webhooks:read',
  'webhooks:write',
  'messaging:read',
  'messaging:write',
  'jobs:read',
  'jobs:write',
  'imports:read',
  'imports:write',
  'reports:read',
  'audit:read',
  'users:read',
  'users:write',
  'claims:read',
  'claims:write',
  // Club events and success stories (#19)
  'club:read',
  'club:write',
  // Four eyes on large adjustments (#21): list and decide adjustment requests (owners and program managers).
  'adjustments:approve',
  // Surveys and follow-up tasks (#16)
  'surveys:read',
  'surveys:write',
  'tasks:write',
  // Bulk grants (#14): see and run grants to many recipients (owners and program managers).
  'grants:read',
  'grants:write',
  // Join by QR (#17): see join requests; approve or reject them, set up the join page.
  'join:read',
  'join:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Console roles. `owner`: everything. `program_manager`: everything except managing owners.
 * `account_manager`: reads and adjusts the accounts assigned to them (`managerId` = their user id),
 * or all accounts with `seesAllAccounts`. `viewer`: reads, changes nothing.
 */
export const CONSOLE_ROLES = ['owner', 'program_manager', 'account_manager', 'viewer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

const READS = PERMISSIONS.filter((p) => p.endsWith(':read'));

export const ROLE_PERMISSIONS: Record<ConsoleRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  program_manager: PERMISSIONS,
  account_manager: ['program:read', 'accounts:read', 'value:adjust', 'events:read', 'rules:read', 'tiers:read', 'rewards:read', 'surveys:read', 'tasks:write'],
  // Users (their e-mails and roles) are for those who manage them.
  viewer: READS.filter((p) => p !== 'users:read'),
};

/**
 * Permissions whose routes show or move one account's data. For an account manager limited to
 * their own accounts, every such route must say how to find the account (a test checks it).
 */
export const ACCOUNT_BOUND: readonly Permission[] = ['accounts:read', 'accounts:write', 'value:adjust', 'events:read', 'events:write', 'redemptions:read', 'redemptions:write'];
