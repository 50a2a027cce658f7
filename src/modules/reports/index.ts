export { createReportsService, type ReportsService } from './reports.service.js';
export { reportRoutes } from './reports.routes.js';
