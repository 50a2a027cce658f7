import { z } from 'zod';
import { emailAddress, listQuery } from './common.js';
import { CONSOLE_ROLES, PERMISSIONS } from './permissions.js';

const email = emailAddress;
const locale = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR');
const name = z.string().trim().min(1).max(200);
/** Long enough to resist guessing; argon2 hashes it, so the upper bound only stops abuse. */
const password = z.string().min(10, 'must be at least 10 characters').max(200);

export const consoleRole = z.enum(CONSOLE_ROLES);
export const permission = z.enum(PERMISSIONS);

/** Example: `{"email": "admin@aquapure.example", "password": "…"}` */
export const loginInput = z.object({ email, password: z.string().min(1).max(200) }).strict();

/**
 * The signed-in console user, as login and `GET /auth/me` answer it. `locale` falls back to the
 * program's; `ownLocale` is the one the user chose (null: none, and the console keeps the device's language).
 */
export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: consoleRole,
  programId: z.string(),
  locale: z.string(),
  ownLocale: z.string().nullable(),
});

/**
 * Answer of `POST /auth/login` and `GET /auth/me`. Send `csrfToken` back as the `x-csrf-token`
 * header on every request that is not GET/HEAD/OPTIONS. `permissions` is what the role may do.
 */
export const sessionAnswer = z.object({ user: sessionUser, csrfToken: z.string(), permissions: z.array(permission), seesAllAccounts: z.boolean() });

/**
 * A new console user. Without `password` the server makes one and answers it once as
 * `initialPassword`. `seesAllAccounts` lets an account manager see every account.
 * Example: `{"email": "claire@aquapure.example", "name": "Claire Martin", "role": "account_manager"}`
 */
export const userInput = z
  .object({
    email,
    name,
    role: consoleRole,
    password: password.optional(),
    locale: locale.optional(),
    seesAllAccounts: z.boolean().optional(),
  })
  .strict();

/** A change to a user; `disabled: true` signs them out everywhere and refuses their logins. `locale: null` follows the program's. */
export const userPatch = z
  .object({
    email: email.optional(),
    name: name.optional(),
    role: consoleRole.optional(),
    password: password.optional(),
    locale: locale.nullable().optional(),
    seesAllAccounts: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const userView = z.object({
  id: z.string(),
  programId: z.string(),
  email: z.string(),
  name: z.string(),
  role: consoleRole,
  locale: z.string().nullable(),
  seesAllAccounts: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.string().nullable(),
});

export const userListQuery = listQuery.extend({ role: consoleRole.optional(), q: z.string().max(200).optional() }).strict();
