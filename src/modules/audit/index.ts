export { createAuditService, type AuditService, type AuditEntry } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
