import { errorFactory } from '../../lib/domain-error.js';

export const healthErrorStatus = {
  HEALTH_INVALID: 422,
} as const satisfies Record<string, number>;

export type HealthErrorCode = keyof typeof healthErrorStatus;
export const healthError = errorFactory<HealthErrorCode>(healthErrorStatus);
