import { errorFactory } from '../../lib/domain-error.js';

export const courseErrorStatus = {
  COURSE_NOT_FOUND: 404,
  COURSE_FILE_NOT_FOUND: 404,
  COURSE_LESSON_NOT_FOUND: 404,
  COURSE_INVALID: 422,
  COURSE_FILE_REFUSED: 422,
  COURSE_NOT_FOR_MEMBER: 403,
  COURSE_NOT_OPEN: 409,
  COURSE_ALREADY_COMPLETED: 409,
  COURSE_NO_ATTEMPTS_LEFT: 409,
  COURSE_NOT_COMPLETED: 409,
  CERTIFICATE_INVALID: 404,
} as const satisfies Record<string, number>;

export type CourseErrorCode = keyof typeof courseErrorStatus;
export const courseError = errorFactory<CourseErrorCode>(courseErrorStatus);
