// The SMTP peer of a chaos run: a real SMTP server (nodemailer's smtp-server)
// in the harness's own process, so it outlives every kill of the daemon and
// records when it accepted each receipt.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Captured {
  /** The Message-ID header, without brackets. */
  messageId: string;
  to: string[];
  raw: string;
  /** When the server answered 250 to DATA (ms since epoch). */
  acceptedAt: number;
}

export interface SmtpCapture {
  port: number;
  received: Captured[];
  /** While true, every connection is refused with 421 (a server that is down for mail). */
  down: boolean;
  /** Stops listening (connections are refused), as a stopped server. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpCapture(): Promise<SmtpCapture> {
  let server: SMTPServer | null = null;
  const cap: SmtpCapture = {
    port: 0,
    received: [],
    down: false,
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      server = make();
      const s = server;
      await new Promise<void>((resolve) => s.listen(cap.port, "127.0.0.1", resolve));
      cap.port = (s.server.address() as AddressInfo).port;
    },
    close: () => cap.stop(),
  };
  const make = () => new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(_s, cb) {
      if (!cap.down) return cb();
      const err = new Error("service not available") as Error & { responseCode: number };
      err.responseCode = 421;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const id = /^message-id:\s*<?([^>\r\n]+)>?/im.exec(raw)?.[1]?.trim() ?? "";
        cap.received.push({ messageId: id, to: session.envelope.rcptTo.map((r) => r.address), raw, acceptedAt: Date.now() });
        cb();
      });
    },
  });
  await cap.start();
  return cap;
}
