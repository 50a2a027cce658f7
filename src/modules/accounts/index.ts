export {
  createAccountsService,
  findAccountIn,
  resolveAccountIn,
  findMemberIn,
  resolveMemberIn,
  type AccountsService,
  type Account,
  type Member,
} from './accounts.service.js';
export { accountRoutes } from './accounts.routes.js';
export { accountErrorStatus, type AccountErrorCode } from './accounts.errors.js';
