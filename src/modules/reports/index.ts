export { createReportsService, type ReportsService } from './reports.service.js';
export { reportRoutes } from './reports.routes.js';
// analytics (#18)
export { differenceInDifferences, sampleSize, minimumDetectableEffect, changeSd, stratifiedRandomise, seededRandom, type Assignment, type DidResult, type PanelRow } from '../../contracts/analytics-stats.js';
