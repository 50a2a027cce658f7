export { createRewardsService, type RewardsService, type RewardsDeps } from './rewards.service.js';
export { rewardRoutes } from './rewards.routes.js';
export { rewardErrorStatus, type RewardErrorCode } from './rewards.errors.js';
export type { Emit as RewardsEmit, TierOf, RedemptionView, Action as RedemptionAction } from './redemptions/redemptions.service.js';
export type { RewardView } from './catalog/catalog.service.js';
