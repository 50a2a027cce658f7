import { createHash } from 'node:crypto';
import { secretBox, type SecretBox } from '../../lib/secret-box.js';
import type { Tx } from '../../db/database.js';
import { logOnlyCodeSender, type SignInCode, type SignInCodeSender } from '../portal/index.js';

/** What the sender needs of the messaging service (its `queueSignInCode`), named here so that this file does not import the service. */
type CodeQueue = { queueSignInCode(tx: Tx, m: SignInCode): Promise<{ messageId: string; devMailbox: boolean } | null> };

/** The template key of the portal's one-time codes. */
export const SIGN_IN_CODE = 'sign_in_code';
/** What the message log shows in place of a code. */
export const CODE_MASK = '••••••';

/** What a queued code message carries until it is sent: the code sealed, never in clear. */
export type SignInCodeData = { sealed: string; expiresAt: string; minutes: number; programs: string[] };

/**
 * The box that seals a code in the outbox row until the worker renders it: a key derived from
 * the server key (when there is one) and the program's link key, so neither a database dump
 * without the server key nor the console shows the code. The row's data is wiped once the
 * message is sent, failed or suppressed.
 */
export function codeBox(serverKey: Buffer | null, linkKey: string): SecretBox {
  const h = createHash('sha256').update('fealty sign-in code v1|');
  if (serverKey) h.update(serverKey);
  return secretBox(h.update(`|${linkKey}`).digest());
}

/**
 * The messaging module's `SignInCodeSender`: the code becomes a transactional `sign_in_code`
 * message in the outbox of the first program (of the members at the address) that can deliver
 * it — e-mail through its SMTP channel or the development mailbox, a phone number through its SMS
 * gateway — in the transaction that stores the code. A program with no way to deliver falls back
 * to the log-only sender. The log shows the code only outside production, saying so.
 */
export function messagingCodeSender(messaging: CodeQueue, opts: { production: boolean }): SignInCodeSender {
  const fallback = logOnlyCodeSender(opts);
  return {
    async deliver(tx, m, log) {
      const queued = await messaging.queueSignInCode(tx, m);
      if (!queued) return fallback.deliver(tx, m, log);
      const how = m.channel === 'email' ? (queued.devMailbox ? 'e-mail, development mailbox' : 'e-mail') : 'SMS';
      if (opts.production) log.info(`[portal] a sign-in code was queued as message ${queued.messageId} (${how})`);
      else log.info(`[portal] development only (NODE_ENV is not production): the sign-in code for ${m.to} is ${m.code} (queued as message ${queued.messageId}, ${how})`);
    },
  };
}
