import type { Tx } from '../../db/database.js';

/** Who a sign-in code is for: the members reachable at the address in the programs it opens. */
export type CodeRecipient = { memberId: string; programId: string; programName: string; name: string; locale: string | null };

/** One one-time code to deliver, to one address. */
export type SignInCode = {
  /** The stored code's id (`otc_…`): a sender with an outbox writes one message per code. */
  id?: string;
  code: string;
  expiresAt: Date;
  channel: 'email' | 'sms';
  /** The address as normalised: a lower-case e-mail address or an E.164 number (`+33639981234`). */
  to: string;
  /**
   * The members at this address, newest first: one when the sign-in names a program, one per
   * program otherwise (the person chooses after the code; the message may list the programs).
   */
  recipients: CodeRecipient[];
};

/** Where a sender may write what it did; the request's logger (with its request id) in the server. */
export type CodeLog = { info(msg: string): void; warn(msg: string): void };

/**
 * The port through which one-time codes leave the server. `deliver` runs inside the transaction
 * that stores the code (`tx`), so a sender with an outbox writes its message in the same commit
 * and a rolled-back request sends nothing; a sender that talks to the outside directly should
 * queue the work until after the commit. It must not throw for an unreachable address: the
 * sign-in answers the same whatever happens to the message.
 * Wired in the composition root (src/services.ts); the messaging module implements it.
 */
export type SignInCodeSender = { deliver(tx: Tx, message: SignInCode, log: CodeLog): Promise<void> };

/**
 * The sender used until a messaging sender is wired in. Outside production it writes the code
 * to the log for development, saying so; in production it writes no code and no address
 * (the log is read by more people than the members' mailboxes are).
 */
export function logOnlyCodeSender(opts: { production: boolean }): SignInCodeSender {
  return {
    async deliver(_tx, m, log) {
      if (opts.production) {
        log.warn(`[portal] a sign-in code (${m.channel}) was not delivered: no e-mail or SMS sender is configured`);
        return;
      }
      log.info(`[portal] development only (NODE_ENV is not production): the sign-in code for ${m.to} is ${m.code}`);
    },
  };
}
