export { createSessionsService, SESSION_TTL_MS, type SessionsService, type Session, type SessionSubject, type ResolvedSession, type RateLimit } from './sessions.service.js';
