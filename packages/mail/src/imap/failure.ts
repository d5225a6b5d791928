import { IntakeError } from "@intake/schema";

/** What kind of trouble a mailbox is in; the watcher logs once per change of kind. */
export type ImapFailureKind =
  /** The server refused the credentials: only a new password helps. */
  | "auth"
  /** The server said "try later" (NO [UNAVAILABLE] and kin): not the password's fault. */
  | "unavailable"
  /** The watched folder does not exist. */
  | "folder"
  /** Connection refused, reset, timed out, TLS, DNS: the network or the server is down. */
  | "network"
  /** Our side (archive or queue) could not take a message. */
  | "sink";

/** RFC 5530 codes that mean "temporary, try again later" rather than "wrong credentials". */
const TEMPORARY_CODES = new Set(["UNAVAILABLE", "INUSE", "SERVERBUG", "LIMIT"]);

interface ImapErrorLike {
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  response?: string;
  code?: string;
  message?: string;
}

/** Tells a wrong password from a server that is down or busy, from its response code (never its text). */
export function classifyImapFailure(err: unknown): ImapFailureKind {
  const e = (err ?? {}) as ImapErrorLike;
  const code = e.serverResponseCode?.toUpperCase();
  if (code && TEMPORARY_CODES.has(code)) return "unavailable";
  if (e.authenticationFailed || code === "AUTHENTICATIONFAILED" || code === "AUTHORIZATIONFAILED" || code === "EXPIRED") return "auth";
  if (code === "NONEXISTENT") return "folder";
  return "network";
}

/** Failures only a person can fix back off slower. */
export function isConfigFailure(kind: ImapFailureKind): boolean {
  return kind === "auth" || kind === "folder";
}

/** The error to log for a failure, with what to do. */
export function describeImapFailure(kind: ImapFailureKind, err: unknown, ctx: { mailbox: string; where: string; folder: string; authHint?: string }): IntakeError {
  const e = (err ?? {}) as ImapErrorLike;
  const said = e.responseText ?? e.response ?? e.message ?? String(err);
  switch (kind) {
    case "auth":
      return new IntakeError("IMAP_AUTH", `IMAP login failed for mailbox ${ctx.mailbox} (${ctx.where}): ${said}${ctx.authHint ? `; ${ctx.authHint}` : ""}`, { cause: err });
    case "unavailable":
      return new IntakeError("IMAP_UNAVAILABLE", `IMAP server of mailbox ${ctx.mailbox} (${ctx.where}) is temporarily unavailable [${e.serverResponseCode}]: ${said}; the password is not in question, retrying`, { cause: err });
    case "folder":
      return new IntakeError("IMAP_CONNECT", `IMAP folder ${ctx.folder} of mailbox ${ctx.mailbox} (${ctx.where}) does not exist: ${said}`, { cause: err });
    default: {
      const code = e.code === undefined ? "" : ` [${e.code}]`;
      return new IntakeError("IMAP_CONNECT", `IMAP mailbox ${ctx.mailbox} (${ctx.where}) failed${code}: ${said}`, { cause: err });
    }
  }
}
