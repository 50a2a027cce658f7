export { createSpiffsService, type SpiffsService } from './spiffs.service.js';
export { spiffRoutes } from './spiffs.routes.js';
export { spiffErrorStatus, type SpiffErrorCode } from './spiffs.errors.js';
