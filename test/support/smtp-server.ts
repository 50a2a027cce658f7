import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP peer on 127.0.0.1 (smtp-server); every message it accepts is parsed by mailparser. */
export type TestSmtp = { port: number; mails: ParsedMail[]; close(): Promise<void> };

export type TestSmtpOptions = {
  /** When set, the server requires AUTH with these credentials (plain text over loopback); otherwise AUTH is off. */
  login?: { user: string; password: string };
  /** Recipients this server answers `550 No such mailbox`. */
  refuses?: (address: string) => boolean;
};

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const { login, refuses } = options;
  const server = new SMTPServer({
    logger: false,
    authOptional: !login,
    allowInsecureAuth: Boolean(login),
    disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    onAuth(auth, _session, cb) {
      if (login && auth.username === login.user && auth.password === login.password) return cb(null, { user: auth.username });
      cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (refuses?.(address.address)) return cb(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}
