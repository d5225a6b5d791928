import { IntakeError } from "@intake/schema";

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  permanent?: boolean;
  message?: string;
}

/**
 * Maps a nodemailer failure to SMTP_PERMANENT or SMTP_TEMPORARY. Only a 5xx
 * reply to the message itself (MAIL FROM, RCPT TO, DATA) is permanent: a
 * retry would get the same answer. Everything else — connection refused or
 * lost, timeouts, 4xx, authentication or TLS trouble that ops can fix — is
 * temporary, so an outage or a misconfiguration delays receipts and loses none.
 */
export function classifySmtpError(err: unknown): IntakeError {
  const e = (err ?? {}) as SmtpFailure;
  const rc = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const reply = oneLineReply(e.response ?? e.message ?? String(err));
  const fatal =
    rc !== undefined &&
    rc >= 500 &&
    rc < 600 &&
    rc !== 503 &&
    e.code !== "EAUTH" &&
    e.code !== "ETLS" &&
    e.code !== "EREQUIRETLS";
  if (fatal) return new IntakeError("SMTP_PERMANENT", `SMTP ${rc} at ${e.command ?? "?"}: ${reply}`, { cause: err });
  return new IntakeError("SMTP_TEMPORARY", `SMTP ${rc ?? e.code ?? "error"}: ${reply}`, { cause: err });
}

function oneLineReply(s: string): string {
  return s.replace(/[\r\n]+/g, " ").slice(0, 300);
}
