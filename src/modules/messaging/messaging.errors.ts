import { errorFactory } from '../../lib/domain-error.js';

export const messagingErrorStatus = {
  CHANNEL_NOT_FOUND: 404,
  CHANNEL_SETTINGS_INVALID: 422,
  TEMPLATE_NOT_FOUND: 404,
  /** A template that does not parse, or names a variable the message does not offer: the errors carry line and column. */
  TEMPLATE_INVALID: 422,
  MESSAGE_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  CAMPAIGN_INVALID: 422,
  /** The audience matches no member. */
  AUDIENCE_EMPTY: 422,
  /** Send or cancel of a campaign that is already sent, sending or cancelled. */
  CAMPAIGN_STATE: 409,
  /** The server has no key to encrypt channel secrets with (PostgreSQL without FEALTY_SECRET_KEY). */
  SECRET_KEY_MISSING: 503,
  LINK_INVALID: 404,
} as const satisfies Record<string, number>;

export type MessagingErrorCode = keyof typeof messagingErrorStatus;
export const messagingError = errorFactory<MessagingErrorCode>(messagingErrorStatus);
