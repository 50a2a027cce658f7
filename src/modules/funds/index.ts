export { createFundsService, type FundsService } from './funds.service.js';
export { fundRoutes } from './funds.routes.js';
export { fundErrorStatus, type FundErrorCode } from './funds.errors.js';
export { createClaimsService, type ClaimsService } from './claims.service.js';
export { claimRoutes } from './claims.routes.js';
export { claimErrorStatus, type ClaimErrorCode } from './claims.errors.js';
