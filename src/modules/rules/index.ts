export { createRulesService, type RulesService, type RuleView } from './rules.service.js';
export {
  compileRule,
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
export { ruleRoutes } from './rules.routes.js';
export { ruleErrorStatus, type RuleErrorCode } from './rules.errors.js';
