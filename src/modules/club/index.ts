export { createClubService, ticketToken, inAudience, type ClubService, type ClubActor } from './club.service.js';
export { clubRoutes } from './club.routes.js';
export { clubErrorStatus, type ClubErrorCode } from './club.errors.js';
