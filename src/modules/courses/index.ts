export { createCoursesService, type CoursesService, type CourseActor } from './courses.service.js';
export { courseRoutes } from './courses.routes.js';
export { courseErrorStatus, type CourseErrorCode } from './courses.errors.js';
