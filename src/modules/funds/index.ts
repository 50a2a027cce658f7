export { createFundsService, type FundsService } from './funds.service.js';
export { fundRoutes } from './funds.routes.js';
export { fundErrorStatus, type FundErrorCode } from './funds.errors.js';
