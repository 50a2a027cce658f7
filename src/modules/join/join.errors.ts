import { errorFactory } from '../../lib/domain-error.js';

export const joinErrorStatus = {
  /** No program with that code, or its join page is off. */
  JOIN_CLOSED: 404,
  JOIN_REQUEST_NOT_FOUND: 404,
  /** The person is already an active member of the program (same e-mail or phone). */
  ALREADY_MEMBER: 409,
  /** A request with the same e-mail or phone waits for a decision. */
  REQUEST_PENDING: 409,
  /** Approve a rejected request, reject an approved one. */
  JOIN_REQUEST_DECIDED: 409,
  /** An account's join link that was altered, or names no account of the program. */
  JOIN_LINK_INVALID: 422,
  /** The proof of work is missing, expired, forged or does not solve the challenge. */
  CHALLENGE_INVALID: 422,
  /** A solved challenge sent a second time. */
  CHALLENGE_USED: 409,
  /** Bad fields (company code, role, phone), listed in `errors`. */
  JOIN_INVALID: 422,
} as const satisfies Record<string, number>;

export type JoinErrorCode = keyof typeof joinErrorStatus;
export const joinError = errorFactory<JoinErrorCode>(joinErrorStatus);
