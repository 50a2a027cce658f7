import { errorFactory } from '../../lib/domain-error.js';

export const surveyErrorStatus = {
  SURVEY_NOT_FOUND: 404,
  SURVEY_INVALID: 422,
  ANSWER_INVALID: 422,
  SURVEY_CLOSED: 409,
  MEMBER_NOT_FOUND: 422,
  LINK_INVALID: 404,
  LINK_EXPIRED: 410,
  TASK_NOT_FOUND: 404,
  TASK_STATE: 409,
  RESPONSE_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type SurveyErrorCode = keyof typeof surveyErrorStatus;
export const surveyError = errorFactory<SurveyErrorCode>(surveyErrorStatus);
