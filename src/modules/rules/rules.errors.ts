import { errorFactory } from '../../lib/domain-error.js';

export const ruleErrorStatus = {
  RULE_NOT_FOUND: 404,
  RULE_INVALID: 422,
  RULE_CONDITION_INVALID: 422,
  CURRENCY_UNKNOWN: 422,
  EVENT_TYPE_UNKNOWN: 422,
  ROLE_UNKNOWN: 422,
  // Rule editor (#21)
  RULE_NAME_TAKEN: 409,
} as const satisfies Record<string, number>;

export type RuleErrorCode = keyof typeof ruleErrorStatus;
export const ruleError = errorFactory<RuleErrorCode>(ruleErrorStatus);
