export { createImportsService, mappingHashOf, type ImportsService, type Progress } from './imports.service.js';
export { importRoutes, IMPORT_BODY_LIMIT } from './imports.routes.js';
export { importErrorStatus, type ImportErrorCode } from './imports.errors.js';
export { mappingFromHeaders, fieldsOf } from './imports.mapping.js';
export { detect } from './imports.parser.js';
export { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './imports.limits.js';
export { readOnly } from './imports.runner.js';
