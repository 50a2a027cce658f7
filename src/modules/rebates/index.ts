export { createRebatesService, type RebatesService } from './rebates.service.js';
export { rebateRoutes } from './rebates.routes.js';
export { rebateErrorStatus, type RebateErrorCode } from './rebates.errors.js';
