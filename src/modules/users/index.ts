export { createUsersService, LOGIN_LIMITS, type UsersService, type User, type UserPrincipal, type SessionUser } from './users.service.js';
export { userRoutes } from './users.routes.js';
export { userErrorStatus, type UserErrorCode } from './users.errors.js';
