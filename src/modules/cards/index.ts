export { createCardsService, type CardsService, GOOGLE_NOTIFY_PER_DAY } from './cards.service.js';
export { cardRoutes } from './cards.routes.js';
export { cardErrorStatus, type CardErrorCode } from './cards.errors.js';
export { deliverCardUpdates, type CardDeliveryReport, type DeliveryTargets } from './cards.delivery.js';
