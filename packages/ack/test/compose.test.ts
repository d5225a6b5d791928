import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { ackRecipient, ackReference, composeAck, createMailer, readOriginal } from "../src/index.js";
import { call2026, corpusItems, recordOf, type CorpusItem } from "./support.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";
import { headerInjection, longSubject, materials, rawGbkHeaders, replyToElsewhere } from "../../../test/support/hostile.js";

const call = call2026();
const items = corpusItems();
const wildMail = join(import.meta.dirname, "../../../test/fixtures/wild-mail");

/** Renders a receipt to the bytes a server would get: the mailer itself, in outbox mode. */
async function render(ack: NonNullable<ReturnType<typeof composeAck>>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ack-render-"));
  const mailer = createMailer({ mode: "outbox", from: "guoyunlong@cast.org.cn", outboxDir: dir });
  try {
    const { response } = await mailer.send(ack, "render");
    return readFileSync(response, "utf8");
  } finally {
    mailer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function headerBlock(raw: string): string {
  return raw.slice(0, raw.indexOf("\r\n\r\n"));
}

/** Composes the receipt of each email: one for each submission, threaded to it, none for anything else. */
async function answersEachSubmission(items: CorpusItem[]): Promise<void> {
  for (const item of items) {
    const original = await readOriginal(readFileSync(item.emlPath));
    const record = recordOf(item);
    const reference = ackReference(call, record.messageKey);
    const ack = composeAck({ record, original, call, reference });
    if (!item.expected.ack) {
      expect(ack, item.id).toBeNull();
      continue;
    }
    expect(ack, item.id).not.toBeNull();
    expect(ack!.to).toBe(original.from!.replace(/@(.*)$/, (_, d: string) => `@${d.toLowerCase()}`));
    expect(ack!.headers["In-Reply-To"]).toBe(item.expected.messageId);
    expect(ack!.headers["References"]?.split(" ").at(-1)).toBe(item.expected.messageId);
    expect(ack!.headers["Auto-Submitted"]).toBe("auto-replied");
    expect(ack!.subject.startsWith("Re: ") || /^(回复|答复)[:：]/.test(ack!.subject)).toBe(true);
    expect(ack!.text).toContain(reference);
    expect(ack!.text).toContain(call.ack.deadline);
    expect(ack!.text).toContain(call.ack.contact);
    expect(ack!.text).toContain(call.ack.englishLine);
    for (const s of record.submissions) {
      if (s.fields["cover.projectName"]) expect(ack!.text).toContain(s.fields["cover.projectName"]);
      for (const f of [s.word, ...s.scan]) if (f) expect(ack!.text).toContain(f);
      const codes = s.flags.map((f) => f.split(":")[0]!);
      if (codes.includes("missing-seal")) expect(ack!.text).toContain(call.ack.flags["missing-seal"]);
      if (codes.includes("missing-scan")) expect(ack!.text).toContain(call.ack.flags["missing-scan"]);
      for (const f of s.flags.filter((x) => x.startsWith("missing-field:"))) {
        const key = f.slice("missing-field:".length);
        const label = call.ack.fieldNames[key] ?? call.labels[key]![0]!;
        expect(ack!.text).toContain(`“${label}”一栏未填写`);
      }
      const issues = codes.filter((c) => c !== "resubmission");
      expect(ack!.text.includes(call.ack.complete)).toBe(issues.length === 0);
    }
  }
}

describeShared("composeAck over the corpus", ["corpus"], () => {
  it("answers every submission once, threaded to it, and nothing else", async () => {
    const corpus = corpusItems(sharedPath("corpus"));
    expect(corpus.filter((i) => i.expected.ack).length).toBeGreaterThan(20);
    await answersEachSubmission(corpus);
  });
});

describe("composeAck over the sample emails", () => {
  it("answers every submission once, threaded to it, and nothing else", async () => {
    expect(items.filter((i) => i.expected.ack).length).toBeGreaterThanOrEqual(8);
    await answersEachSubmission(items);
  });

  it("lists every project of a multi-project email in one receipt", async () => {
    const multi = items.find((i) => i.expected.submissions.length > 1)!;
    const record = recordOf(multi);
    const ack = composeAck({
      record,
      original: await readOriginal(readFileSync(multi.emlPath)),
      call,
      reference: "R",
    })!;
    for (const s of record.submissions) expect(ack.text).toContain(s.fields["cover.projectName"]!);
    expect(ack.text).toContain("项目2：");
  });

  it("refuses auto-replies, bounces and newsletters by their headers alone", async () => {
    const machine = items.filter((i) => ["auto-reply", "bounce", "newsletter"].includes(i.expected.kind));
    expect(machine.length).toBeGreaterThanOrEqual(3);
    for (const item of machine) {
      const original = await readOriginal(readFileSync(item.emlPath));
      expect(ackRecipient(original, call), item.id).toBeNull();
      // Even a record wrongly classified as a submission gets no receipt.
      const record = { ...recordOf(item), kind: "submission" as const, ack: true };
      expect(composeAck({ record, original, call, reference: "R" }), item.id).toBeNull();
    }
  });
});

describe("recipient rules", () => {
  const base = { messageId: "<a@b.example>", subject: "s", references: [] };
  it("takes Reply-To only within the sender's domain", () => {
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: "b@X.example.org" }, call)).toBe("b@x.example.org");
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: "b@evil.example" }, call)).toBe("a@x.example.org");
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: "noreply@x.example.org" }, call)).toBe("a@x.example.org");
  });
  it("never answers machines or our own mailboxes", () => {
    for (const from of ["noreply@x.example", "No-Reply@x.example", "do-not-reply@x.example", "MAILER-DAEMON@x.example", "postmaster@x.example", ...call.mailboxes.map((m) => m.address.toUpperCase())]) {
      expect(ackRecipient({ ...base, from, replyTo: null }, call), from).toBeNull();
    }
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: null, autoReply: true }, call)).toBeNull();
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: null, bounce: true }, call)).toBeNull();
    expect(ackRecipient({ ...base, from: "a@x.example.org", replyTo: null, listMail: true }, call)).toBeNull();
  });
  it("refuses addresses that are not plain", () => {
    for (const from of ["a@b", "a b@x.example", "a@x.example\r\nBcc: c@d.example", "<a@x.example>", "a@x.example,b@y.example", null]) {
      expect(ackRecipient({ ...base, from, replyTo: null }, call)).toBeNull();
    }
  });
});

describe("hostile emails", () => {
  const submission = (key: string) => {
    const r = recordOf(items.find((i) => i.expected.ack)!);
    return { ...r, messageKey: key };
  };

  it("injected From name and Subject reach no header", async () => {
    const original = await readOriginal(headerInjection(await materials()).eml);
    const ack = composeAck({ record: submission("hd-22"), original, call, reference: "R" })!;
    expect(ack.to).toBe("apply@cts.example.org");
    expect(ack.subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
    const out = await render(ack);
    const head = headerBlock(out);
    expect(head).not.toMatch(/^(bcc|cc|reply-to|x-injected):/im);
    const parsed = await simpleParser(out);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.cc).toBeUndefined();
    expect(parsed.to && "value" in parsed.to ? parsed.to.value.map((a) => a.address) : []).toEqual(["apply@cts.example.org"]);
    // The sender's subject is never quoted: the receipt's is the call's own.
    expect(parsed.subject).toBe(`Re: ${call.title}（受理编号：R）`);
  });

  it("a Reply-To in another domain is ignored", async () => {
    const original = await readOriginal(replyToElsewhere(await materials()).eml);
    expect(original.replyTo).toMatch(/harvest-replies/);
    const ack = composeAck({ record: submission("hd-24"), original, call, reference: "R" })!;
    expect(ack.to).toBe(original.from);
    expect(headerBlock(await render(ack))).not.toMatch(/harvest-replies/);
  });

  it("a 1 MB subject gives a bounded subject, quickly", async () => {
    const raw = longSubject(await materials()).eml;
    const t0 = Date.now();
    const original = await readOriginal(raw);
    const ack = composeAck({ record: submission("hd-21"), original, call, reference: "R" })!;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(Array.from(ack.subject).length).toBeLessThanOrEqual(150);
    for (const line of headerBlock(await render(ack)).split("\r\n")) expect(line.length).toBeLessThan(998);
  });

  it("strips U+2028, U+0085 and CR/LF from parsed values and escapes them in HTML", () => {
    const r = submission("x");
    const s = r.submissions[0]!;
    const evil = {
      ...r,
      submissions: [
        {
          ...s,
          word: "a\r\nBcc: x@evil.example.docx",
          fields: { ...s.fields, "cover.applicantUnit": "<script>alert(1)</script>单位\u2028X-A: 1", "cover.projectName": "\"><svg onload=alert(2)>\u0085项目" },
        },
      ],
    };
    const ack = composeAck({
      record: evil,
      original: { messageId: "<m@x.example>", subject: "申报\u2028Bcc: a@b.example\u0085x", from: "a@x.example.org", replyTo: null, references: ["<r@x.example>\r\nBcc: x"] },
      call,
      reference: "R",
    })!;
    expect(ack.subject).toBe(`Re: ${call.title}（受理编号：R）`);
    expect(ack.html).not.toMatch(/<script|<svg/);
    expect(ack.html).toContain("&#60;script&#62;");
    expect(ack.text).not.toMatch(/[\u2028\u0085\r]/);
    for (const v of Object.values(ack.headers)) expect(v).not.toMatch(/[\r\n\u2028\u0085]/);
    expect(ack.headers["References"]).toBe("<m@x.example>");
  });
});

describe("raw 8-bit headers", () => {
  it("a raw GBK subject is read as Chinese, not mojibake", async () => {
    const original = await readOriginal(rawGbkHeaders(await materials()).eml);
    expect(original.subject).not.toContain("\ufffd");
    expect(original.subject).toMatch(/申报/);
  });
});

describe("flag wording", () => {
  const item = items.find((i) => i.expected.ack)!;
  const withFlags = (flagDetails: { code: "invalid-field"; field?: string; detail?: string }[]) => {
    const r = recordOf(item);
    return { ...r, submissions: [{ ...r.submissions[0]!, flags: flagDetails.map((f) => `${f.code}:${f.field}`), flagDetails }] };
  };
  const original = { messageId: "<m@x.example>", subject: "s", from: "a@x.example.org", replyTo: null, references: [] };

  it("explains an invalid field in the call's words, else the checker's, else without a parenthesis", () => {
    const ack = composeAck({
      record: withFlags([
        { code: "invalid-field", field: "cover.mobile", detail: "not an 11-digit mainland mobile number" },
        { code: "invalid-field", field: "project.period", detail: "结束早于开始" },
        { code: "invalid-field", field: "plan" },
      ]),
      original,
      call,
      reference: "R",
    })!;
    expect(ack.text).toContain(`“手机”一栏填写有误（${call.ack.fieldHints["cover.mobile"]}）`);
    expect(ack.text).not.toContain("not an 11-digit");
    expect(ack.text).toContain("“时间”一栏填写有误（结束早于开始）");
    expect(ack.text).toContain(`“${call.ack.fieldNames["plan"]}”一栏填写有误，请核对`);
  });
});

/** Reads each email's headers for a receipt; any receipt stays header-safe. Returns how many got one. */
async function headerSafeReceipts(files: string[]): Promise<number> {
  let receipts = 0;
  for (const f of files) {
    const original = await readOriginal(readFileSync(f));
    const record = { messageId: null, messageKey: "k", kind: "submission" as const, ack: true, submissions: [] };
    const ack = composeAck({ record, original, call, reference: "R" });
    if (!ack) continue;
    receipts++;
    expect(ack.to, f).toMatch(/^[^\s<>,;]+@[^\s<>,;@]+$/);
    expect(Array.from(ack.subject).length).toBeLessThanOrEqual(150);
    for (const v of [ack.subject, ...Object.values(ack.headers)]) expect(v, f).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
  }
  return receipts;
}

const emls = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".eml")).map((f) => join(dir, f));

describe("messy real-world mail", () => {
  it("reads the repository's real-world emails' headers without failing, and any receipt stays header-safe", async () => {
    const files = emls(wildMail);
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(await headerSafeReceipts(files)).toBeGreaterThan(3);
  });
});

describeShared("messy real-world mail of the measurement set", ["wild-mail", "corpus-hostile"], () => {
  it("reads every wild-mail and hostile email's headers without failing, and any receipt stays header-safe", async () => {
    const files = [...emls(sharedPath("corpus-hostile")), ...emls(sharedPath("wild-mail"))];
    expect(files.length).toBeGreaterThan(300);
    expect(await headerSafeReceipts(files)).toBeGreaterThan(200);
  }, 60_000);
});
