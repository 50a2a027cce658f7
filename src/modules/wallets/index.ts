export { createWalletsService, type WalletsService } from './wallets.service.js';
export { walletRoutes } from './wallets.routes.js';
export { walletErrorStatus, type WalletErrorCode } from './wallets.errors.js';
