export { createSurveysService, type SurveysService } from './surveys.service.js';
export { surveyRoutes } from './surveys.routes.js';
export { surveyErrorStatus, type SurveyErrorCode } from './surveys.errors.js';
export { npsOf, accountNps } from './surveys.nps.js';
