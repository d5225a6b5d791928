// A real SMTP server in-process (nodemailer's smtp-server) that records what it
// is sent and can be told to refuse: for checks of the envelope and headers.
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { AddressInfo } from "node:net";

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

export interface SmtpPeer {
  port: number;
  received: Received[];
  /** Reply to RCPT TO with this code and text instead of accepting (e.g. 550 or 451). */
  refuseRcpt: { code: number; text: string } | null;
  close(): Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const peer: SmtpPeer = { port: 0, received: [], refuseRcpt: null, close: async () => undefined };
  const opts: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_addr, _session, cb) {
      if (peer.refuseRcpt) {
        const err = new Error(peer.refuseRcpt.text) as Error & { responseCode: number };
        err.responseCode = peer.refuseRcpt.code;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        peer.received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  };
  const server = new SMTPServer(opts);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  peer.port = (server.server.address() as AddressInfo).port;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}
