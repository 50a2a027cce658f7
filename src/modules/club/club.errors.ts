import { errorFactory } from '../../lib/domain-error.js';

export const clubErrorStatus = {
  CLUB_EVENT_NOT_FOUND: 404,
  CLUB_EVENT_INVALID: 422,
  CLUB_EVENT_OVER: 409,
  CLUB_EVENT_CAPACITY: 409,
  CLUB_NOT_INVITED: 422,
  TICKET_UNKNOWN: 404,
  TICKET_INVALID: 422,
  TICKET_OTHER_EVENT: 422,
  TICKET_USED: 409,
  STORY_NOT_FOUND: 404,
  STORY_STATE: 409,
  STORY_PHOTO_REFUSED: 422,
  STORY_PHOTO_LIMIT: 422,
} as const satisfies Record<string, number>;

export type ClubErrorCode = keyof typeof clubErrorStatus;
export const clubError = errorFactory<ClubErrorCode>(clubErrorStatus);
