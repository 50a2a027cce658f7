export { createRulesService, type RulesService, type RuleView } from './rules.service.js';
export {
  compileRule,
  compileCondition,
  evaluateRules,
  splitAward,
  periodKey,
  type CompiledRule,
  type RuleContext,
  type RuleEvaluation,
  type EffectResult,
  type ContextAccount,
  type ContextEvent,
  type ContextMember,
} from './rules.engine.js';
export {
  planAwards,
  limitsNeeded,
  capKeyOf,
  budgetKeyOf,
  type AwardPlan,
  type PlannedAward,
  type PlanEnv,
  type PlanTraceEntry,
  type LimitUsage,
  type CapKey,
  type BudgetKey,
} from './rules.planner.js';
export { ruleRoutes } from './rules.routes.js';
export { ruleErrorStatus, type RuleErrorCode } from './rules.errors.js';
