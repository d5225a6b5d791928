import type { Call, MessageResult } from "@intake/schema";
import { normaliseMessageId } from "./address.js";
import { ackMessageId } from "./ids.js";
import type { OriginalMessage } from "./original.js";
import { ackRecipient } from "./recipient.js";
import { escapeHtml, oneLine } from "./safe-text.js";
import { ackContent, fill, type AckContent } from "./wording.js";

/** Longest subject we send, in characters (the applicant's subject is cut to fit). */
const MAX_SUBJECT = 150;
/** How many earlier Message-IDs the References header carries (RFC 5322 allows trimming the middle). */
const MAX_REFERENCES = 10;

/** A receipt ready to hand to a mailer. Every value is header-safe. */
export interface ComposedAck {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface ComposeAckInput {
  record: MessageResult;
  original: OriginalMessage;
  call: Call;
  /** The reference number printed on the receipt (see ackReference). */
  reference: string;
  /** The Date of the receipt; default now. */
  now?: Date;
  /** The receipt's Message-ID; default derived from the record's message key. */
  messageId?: string;
  /** A corrected receipt (更正回执): the call's correction subject and note come first. */
  correction?: boolean;
}

/** The receipt for one message, or null when a rule says none may be sent. */
export function composeAck(input: ComposeAckInput): ComposedAck | null {
  const { record, original, call, reference } = input;
  if (!record.ack || record.kind !== "submission") return null;
  const to = ackRecipient(original, call);
  if (!to) return null;
  const messageId = normaliseMessageId(input.messageId) ?? ackMessageId(call, record.messageKey);
  const ref = oneLine(reference, 40);
  // A From the receiving server found forged: its owner may never have written to us, so the
  // receipt quotes nothing of the email (no unit, project, file or issue), only its reference.
  const lines = record.senderAuth?.verdict === "fail" ? unverifiedLines(call, ref) : bodyLines(ackContent(record, call, ref), call, ref);
  if (input.correction) lines.unshift({ text: call.ack.correctionNote, kind: "h" }, { text: "", kind: "blank" });
  const subject = oneLine(fill(call.ack.subject, { title: call.title, reference: ref }), MAX_SUBJECT);
  return {
    to,
    subject: input.correction ? oneLine(`${call.ack.correctionSubject}${subject}`, MAX_SUBJECT) : subject,
    text: lines.map((l) => l.text).join("\n") + "\n",
    html: toHtml(lines),
    headers: threadingHeaders(original, input.now ?? new Date()),
    messageId,
  };
}

function threadingHeaders(original: OriginalMessage, now: Date): Record<string, string> {
  const headers: Record<string, string> = {
    // RFC 3834: marks this as an automatic reply, so well-behaved responders do not answer it.
    "Auto-Submitted": "auto-replied",
    // Asks Exchange/Outlook not to send out-of-office replies to a receipt.
    "X-Auto-Response-Suppress": "All",
    Date: now.toUTCString(),
  };
  const parent = normaliseMessageId(original.messageId);
  const refs = original.references.map((r) => normaliseMessageId(r)).filter((r): r is string => r !== null);
  if (parent) {
    headers["In-Reply-To"] = parent;
    const chain = [...refs.filter((r) => r !== parent), parent];
    const kept = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
    headers["References"] = kept.join(" ");
  } else if (refs.length) {
    headers["References"] = refs.slice(-MAX_REFERENCES).join(" ");
  }
  return headers;
}

/** "h": our own heading, in bold; "q": a line that quotes the email (a project's name), never emphasised. */
type Line = { text: string; kind: "p" | "h" | "q" | "li" | "oli" | "blank" };

function unverifiedLines(call: Call, reference: string): Line[] {
  const w = call.ack;
  const out: Line[] = [];
  const para = (text: string) => {
    for (const t of text.split("\n")) out.push(t.trim() ? { text: t, kind: "p" } : { text: "", kind: "blank" });
  };
  para(fill(w.unverified, { reference }));
  para(`${w.englishLine} Reference: ${reference}`);
  out.push({ text: "", kind: "blank" });
  para(w.deadline);
  para(w.contact);
  out.push({ text: "", kind: "blank" });
  para(w.signature);
  return out;
}

function bodyLines(c: AckContent, call: Call, reference: string): Line[] {
  const w = call.ack;
  const out: Line[] = [];
  const para = (text: string, kind: Line["kind"] = "p") => {
    for (const t of text.split("\n")) out.push(t.trim() ? { text: t, kind } : { text: "", kind: "blank" });
  };
  para(c.greeting);
  para(`${w.englishLine} Reference: ${reference}`);
  out.push({ text: "", kind: "blank" });
  for (const p of c.projects) {
    para(p.heading, "q");
    para(w.received);
    if (p.files.length) for (const f of p.files) out.push({ text: `  - ${f}`, kind: "li" });
    else out.push({ text: `  ${w.noFiles}`, kind: "p" });
    if (p.issues.length) {
      para(w.incomplete);
      p.issues.forEach((t, i) => out.push({ text: `  ${i + 1}. ${t}`, kind: "oli" }));
    } else {
      // "Complete" only when nothing is left for staff to check: the receipt stays truthful.
      para(p.checks.length ? w.reviewOnly : w.complete);
    }
    if (p.checks.length) {
      para(w.review);
      for (const t of p.checks) out.push({ text: `  - ${t}`, kind: "li" });
    }
    for (const n of p.notes) para(n);
    out.push({ text: "", kind: "blank" });
  }
  if (c.projects.length === 0) {
    para(w.received);
    if (c.looseFiles.length) for (const f of c.looseFiles) out.push({ text: `  - ${f}`, kind: "li" });
    else out.push({ text: `  ${w.noFiles}`, kind: "p" });
    out.push({ text: "", kind: "blank" });
  }
  if (c.messageIssues.length) {
    para(w.messageIssues, "h");
    c.messageIssues.forEach((t, i) => out.push({ text: `  ${i + 1}. ${t}`, kind: "oli" }));
    out.push({ text: "", kind: "blank" });
  }
  para(w.deadline);
  para(w.contact);
  out.push({ text: "", kind: "blank" });
  para(w.signature);
  return out;
}

/** The same lines as HTML; every value is escaped, nothing from the email is markup. */
function toHtml(lines: Line[]): string {
  const body: string[] = [];
  let list: "ul" | "ol" | null = null;
  const close = () => {
    if (list) body.push(`</${list}>`);
    list = null;
  };
  for (const l of lines) {
    const want = l.kind === "li" ? "ul" : l.kind === "oli" ? "ol" : null;
    if (want !== list) {
      close();
      if (want) body.push(`<${want}>`);
      list = want;
    }
    const t = escapeHtml(l.text.replace(/^\s*(?:-|\d+\.)\s+/, "").trim());
    if (l.kind === "li" || l.kind === "oli") body.push(`<li>${t}</li>`);
    else if (l.kind === "h") body.push(`<p><strong>${t}</strong></p>`);
    else if (l.kind === "p" || l.kind === "q") body.push(`<p>${t}</p>`);
  }
  close();
  return `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"></head><body>\n${body.join("\n")}\n</body></html>\n`;
}
