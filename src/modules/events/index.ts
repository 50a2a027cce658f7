export { createEventsService, type EventsService, type EventAnswer, type Emit, type TierHooks, type TierChange } from './events.service.js';
export { eventRoutes } from './events.routes.js';
export { simulateRule, type SimulationResult } from './events.simulate.js';
export { eventErrorStatus, type EventErrorCode } from './events.errors.js';
export { activeInEvents, activeEventAccountsBetween, activityByAccountMonth, purchasesByAccount, purchasesByAccountMonth } from './events.reports.js';
export { lineVolumeIn } from './events.volume.js';
/** Offboarding (#14) takes the events' per-account lock: a member leaves between two events of their account, never during one. */
export { lockAccounts as lockAccountEventsIn } from './events.repo.js';
// SPIFFs (#13): earnings under a SPIFF's rule, per earner, with the units sold.
export { ruleEarningsIn, type RuleEarning } from './events.rule-earnings.js';
