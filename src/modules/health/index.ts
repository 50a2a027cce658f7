export { createHealthService, type HealthService, type HealthSignals, type HealthDigest, type AccountNps } from './health.service.js';
export { healthRoutes } from './health.routes.js';
export { healthErrorStatus, type HealthErrorCode } from './health.errors.js';
