export { createTiersService, type TiersService, type TierActivity, type TierReturn, type TierChange } from './tiers.service.js';
export { tierRoutes } from './tiers.routes.js';
export { tierErrorStatus, type TierErrorCode } from './tiers.errors.js';
export type { TierEmit, EvaluationResult } from './tiers.reevaluate.js';
export { monthOf, shiftMonth, windowOf } from './tiers.ladder.js';
export { currentTierCodes } from './tiers.reports.js';
