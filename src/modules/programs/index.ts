export { createProgramsService, generateApiKey, BUILT_IN_EVENT_TYPES, type ProgramsService, type Program, type Currency, type Role } from './programs.service.js';
export { programRoutes, programPatch } from './programs.routes.js';
export { programErrorStatus, type ProgramErrorCode } from './programs.errors.js';
