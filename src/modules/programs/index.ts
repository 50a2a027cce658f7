export { createProgramsService, generateApiKey, type ProgramsService, type Program, type Currency, type Role } from './programs.service.js';
export { programRoutes, programPatch } from './programs.routes.js';
export { programErrorStatus, type ProgramErrorCode } from './programs.errors.js';
