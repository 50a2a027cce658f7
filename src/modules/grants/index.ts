export { createGrantsService, GRANT_CHUNK, type GrantsService } from './grants.service.js';
export { grantRoutes } from './grants.routes.js';
export { grantErrorStatus, type GrantErrorCode } from './grants.errors.js';
