export {
  createAccountsService,
  findAccountIn,
  resolveAccountIn,
  findMemberIn,
  findAccountsByExternalIdIn,
  findMembersByExternalIdIn,
  resolveMemberIn,
  managedAccountIdsIn,
  accountTreeIn,
  findActiveMembersByContactIn,
  partnerAdminIdsIn,
  type AccountsService,
  type AccountsInTier,
  type OnMemberStatusChange,
  type AccountScope,
  type Account,
  type Member,
} from './accounts.service.js';
export { toE164, type PhoneParse } from './accounts.phone.js';
export { accountRoutes } from './accounts.routes.js';
export { accountErrorStatus, type AccountErrorCode } from './accounts.errors.js';
export { participantCounts, accountDimensions } from './accounts.reports.js';
export { managerOfRef } from './accounts.scope-reads.js';
// Bulk grants (#14)
export { grantAudienceIn } from './accounts.service.js';
export type { AudienceRow } from './accounts.repo.js';
