export { createJoinService, type JoinService, type JoinNotification } from './join.service.js';
export { joinRoutes } from './join.routes.js';
export { joinErrorStatus, type JoinErrorCode } from './join.errors.js';
export { solveChallenge, POW_DIFFICULTY } from './join.pow.js';
