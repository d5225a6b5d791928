import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { IntakeError } from "@intake/schema";
import type { ComposedAck } from "./compose.js";
import { fileKey } from "./ids.js";
import { classifySmtpError } from "./smtp-error.js";

export interface MailerOptions {
  /** "smtp" sends through an SMTP server; "outbox" writes .eml files instead. */
  mode: "smtp" | "outbox";
  /** The SMTP server (required for mode "smtp"). */
  smtp?: {
    host: string;
    port: number;
    /** Implicit TLS (port 465 style); default false (STARTTLS when offered). */
    secure?: boolean;
    auth?: { user: string; pass: string };
    /** Milliseconds for connecting, the greeting and each reply; default 30000. */
    timeoutMs?: number;
  };
  /** The From header of every receipt: one of the call's mailboxes, optionally with a name ("项目组 <a@b>"). */
  from: string;
  /**
   * RFC 3834 3.3: send with the null envelope sender (MAIL FROM:<>) so that a
   * failed receipt cannot start a bounce loop; default true.
   */
  nullSender?: boolean;
  /** Where mode "outbox" writes `<key>.eml` (the archive's outbox folder). */
  outboxDir?: string;
}

export interface SendResult {
  messageId: string;
  /** The server's reply, or the file written in outbox mode. */
  response: string;
}

export interface Mailer {
  readonly mode: "smtp" | "outbox";
  /** Sends one receipt; `key` names it (the outbox file). Throws IntakeError SMTP_TEMPORARY / SMTP_PERMANENT. */
  send(ack: ComposedAck, key: string): Promise<SendResult>;
  /** Checks that receipts could be sent now (SMTP: connect, greeting, login; outbox: the folder takes a file); throws as send does. */
  verify(): Promise<void>;
  close(): void;
}

/** A mailer over nodemailer: SMTP, or an outbox folder of .eml files. */
export function createMailer(opts: MailerOptions): Mailer {
  if (opts.mode === "outbox") return outboxMailer(opts);
  if (!opts.smtp) throw new IntakeError("CONFIG_INVALID", "mailer mode smtp needs smtp.host and smtp.port");
  const t = opts.smtp.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: opts.smtp.host,
    port: opts.smtp.port,
    secure: opts.smtp.secure ?? false,
    auth: opts.smtp.auth,
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
    // Receipts carry no attachments: nothing may be read from disk or fetched.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    mode: "smtp",
    async send(ack) {
      try {
        const info = await transport.sendMail(message(ack, opts));
        return { messageId: ack.messageId, response: String(info.response ?? "") };
      } catch (e) {
        throw classifySmtpError(e);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (e) {
        throw classifySmtpError(e);
      }
    },
    close() {
      transport.close();
    },
  };
}

function message(ack: ComposedAck, opts: MailerOptions) {
  return {
    from: opts.from,
    to: ack.to,
    subject: ack.subject,
    text: ack.text,
    html: ack.html,
    headers: ack.headers,
    messageId: ack.messageId,
    envelope: { from: opts.nullSender === false ? bareAddress(opts.from) : "", to: [ack.to] },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** "Name <a@b>" → "a@b": the envelope takes the address alone. */
function bareAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

function outboxMailer(opts: MailerOptions): Mailer {
  const dir = opts.outboxDir;
  if (!dir) throw new IntakeError("CONFIG_INVALID", "mailer mode outbox needs outboxDir");
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    mode: "outbox",
    async send(ack, key) {
      const info = await transport.sendMail(message(ack, opts));
      const name = `${fileKey(key)}.eml`;
      try {
        await writeAtomic(dir, name, info.message as Buffer);
      } catch (e) {
        throw new IntakeError("ARCHIVE_IO", `cannot write ${name} to the outbox`, { cause: e });
      }
      return { messageId: ack.messageId, response: join(dir, name) };
    },
    async verify() {
      try {
        await writeAtomic(dir, ".verify", Buffer.from("ok"));
      } catch (e) {
        throw new IntakeError("ARCHIVE_IO", "cannot write to the outbox", { cause: e });
      }
    },
    close() {
      transport.close();
    },
  };
}

async function writeAtomic(dir: string, name: string, data: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
}
