import { parseMessage } from "../src/index.js";
import { sampleEmail } from "../../../test/support/samples.js";

export interface RealFiles {
  docx: Buffer;
  doc: Buffer;
  pdf: Buffer;
}

/** Real application files taken out of sample messages, to build test messages around. */
export async function realFiles(): Promise<RealFiles> {
  const a = await parseMessage(await sampleEmail("guoyunlong", "msg-004.eml"));
  const b = await parseMessage(await sampleEmail("guoyunlong", "msg-012.eml"));
  const pick = (list: typeof a.attachments, type: string): Buffer => {
    const f = list.find((x) => x.type === type);
    if (!f) throw new Error(`no ${type} in the sample message`);
    return f.content;
  };
  return { docx: pick(a.attachments, "docx"), pdf: pick(a.attachments, "pdf"), doc: pick(b.attachments, "ole") };
}

/** Base64 body lines of 76 characters. */
export function b64(buf: Buffer): string {
  return buf.toString("base64").replace(/.{76}/g, "$&\r\n");
}

/** A multipart/mixed message around the given part blocks (each: header lines, blank, body). */
export function mixed(headers: string[], parts: (string | Buffer)[][]): (string | Buffer)[] {
  const lines: (string | Buffer)[] = [
    ...headers,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="=_b1"',
    "",
    "--=_b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "您好，附件为申报材料，请查收。",
  ];
  for (const p of parts) lines.push("--=_b1", ...p);
  lines.push("--=_b1--", "");
  return lines;
}

export const HEAD = ["From: 张三 <zhangsan@example.org>", "To: guoyunlong@cast.org.cn", "Subject: 申报材料", "Date: Mon, 05 Jan 2026 10:00:00 +0800", "Message-ID: <t1@example.org>"];
