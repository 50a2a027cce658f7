export { createIdempotencyService, idempotencyErrorStatus, IDEMPOTENCY_RETENTION_DAYS, type IdempotencyService, type StoredResponse } from './idempotency.service.js';
