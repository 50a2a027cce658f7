export { createWalletsService, type WalletsService } from './wallets.service.js';
export { walletRoutes } from './wallets.routes.js';
export { walletErrorStatus, type WalletErrorCode } from './wallets.errors.js';
// Four eyes on large adjustments (#21)
export { createAdjustmentApprovalsService, type AdjustmentApprovalsService, type ActorName } from './approvals.service.js';
export { adjustmentApprovalRoutes } from './approvals.routes.js';
