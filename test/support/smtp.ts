// The test SMTP server started by scripts/services/up.d/30-smtp.sh: a Postfix
// on loopback that delivers every message by LMTP into the test Dovecot.
import { connect } from "node:net";

/** Where the test Postfix listens (plain SMTP, no auth, loopback only). */
export const SMTP_HOST = process.env.TEST_SMTP_HOST ?? "127.0.0.1";
export const SMTP_PORT = Number(process.env.TEST_SMTP_PORT ?? 10025);

/** Whether the test Postfix answers with its greeting. */
export function smtpReady(timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(SMTP_PORT, SMTP_HOST);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once("data", (d) => done(String(d).startsWith("220")));
    s.once("error", () => done(false));
    s.setTimeout(timeoutMs, () => done(false));
  });
}
