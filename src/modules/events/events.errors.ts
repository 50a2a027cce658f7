import { errorFactory } from '../../lib/domain-error.js';

export const eventErrorStatus = {
  EVENT_NOT_FOUND: 404,
  EVENT_ID_REUSED: 409,
  EVENT_INVALID: 422,
  EVENT_TYPE_UNKNOWN: 422,
  ACCOUNT_UNKNOWN: 422,
  MEMBER_UNKNOWN: 422,
  MEMBER_NOT_IN_ACCOUNT: 422,
  ORIGINAL_EVENT_UNKNOWN: 422,
  RETURN_EXCEEDS_ORIGINAL: 422,
} as const satisfies Record<string, number>;

export type EventErrorCode = keyof typeof eventErrorStatus;
export const eventError = errorFactory<EventErrorCode>(eventErrorStatus);
