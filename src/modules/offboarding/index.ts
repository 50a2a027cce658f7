export { createOffboardingService, type OffboardingService, type OffboardingDeps, type OffboardedCurrency } from './offboarding.service.js';
