import type { Logger } from "pino";
import type { Call, Flag, MessageResult, ReviewReason, SubmissionResult } from "@intake/schema";
import { canonicalAddress, emptyFields, flagDetailText, flagKey, uniqueFlags } from "@intake/schema";
import { checkFields, fieldsFromPages } from "@intake/form";
import type { Archive } from "@intake/archive";
import { readStageFile, scanStagePath, type FormStage, type ParsedStage, type ScanStage } from "../stage.js";
import { findFollowUpOf, indexMessage, isForeignFollowUp, readStage } from "./follow-up.js";
import { judgeSubmission } from "./judge.js";
import { linkVersions, projectIndexPath, projectKeyOf } from "./link-versions.js";
import { pairFormsWithScans, type Pairing, type ScanCopy } from "./pair.js";

export interface AssembleDeps {
  archive: Archive;
  call: Call;
  logger: Logger;
}

/**
 * Step 3 of a message: pairs forms with scans, judges each project, links
 * versions across messages and writes the record. Runs once all scans are
 * inspected; a scan whose inspection failed for good leaves its decisions undecided.
 */
export async function assembleMessage(messageKey: string, deps: AssembleDeps): Promise<{ record: MessageResult; changed: MessageResult[]; followUp: boolean }> {
  const { archive, call } = deps;
  const parsed = await readStage(messageKey, archive);
  if (!parsed) throw new Error(`no parsed stage for ${messageKey}`);

  let submissions: SubmissionResult[] = [];
  let followUpOf: string | null = null;
  const claimed = new Set<string>();
  const review: ReviewReason[] = [...(parsed.reviewReasons ?? []), ...heldReasons(parsed)];
  if (parsed.kind === "submission") {
    const scans: ScanCopy[] = [];
    for (const group of parsed.scanGroups) scans.push({ group, stage: await readStageFile<ScanStage>(archive, messageKey, scanStagePath(group.id)) });
    let forms = parsed.forms;
    const follow = await findFollowUpOf(parsed, archive);
    if (follow) {
      forms = follow.forms;
      followUpOf = follow.messageId ?? follow.messageKey;
    }
    const pairings = pairFormsWithScans(forms, scans);
    // An application of which nothing could be read is still one: its receipt says what to send.
    if (!pairings.length) pairings.push({ form: null, scan: null });
    submissions = pairings.map((p) => buildSubmission(p, parsed, call, claimed, !!follow));
    // Held whatever its versions say (a project with no key has none): linkVersions keeps it held when it has.
    if (follow && isForeignFollowUp(parsed, follow)) {
      const same = !!parsed.from && !!follow.from && canonicalAddress(parsed.from) === canonicalAddress(follow.from);
      const detail = `发件人${parsed.from ?? "（未知）"}${same ? "的发件域名未通过验证" : `与所补充邮件的发件人（${follow.from ?? "未知"}）不同`}`;
      const reason: ReviewReason = { code: "other-sender-follow-up", detail };
      for (const s of submissions) s.review = { needed: true, reasons: [...(s.review?.reasons ?? []), reason] };
    }
  }

  // A refused file no project claimed belongs to the only project when there is one; flags about
  // the message as a whole (too many attachments, nesting too deep) stay on the message.
  const unclaimed = parsed.flags.filter((f) => !f.file || !claimed.has(f.file));
  const toProject = submissions.length === 1 ? unclaimed.filter((f) => f.file) : [];
  if (toProject.length) {
    const s = submissions[0]!;
    s.flagDetails = uniqueFlags([...(s.flagDetails ?? []), ...toProject]);
    s.flags = [...new Set(s.flagDetails.map(flagKey))];
  }

  const record: MessageResult = {
    messageId: parsed.messageId,
    messageKey,
    kind: parsed.kind,
    ack: parsed.kind === "submission",
    from: parsed.from,
    ...(parsed.senderAuth ? { senderAuth: parsed.senderAuth } : {}),
    subject: parsed.subject,
    receivedAt: parsed.receivedAt,
    mailboxes: parsed.mailboxes,
    followUpOf,
    attachments: parsed.attachments.map((a) => ({
      name: a.name,
      stored: a.path,
      type: a.type,
      size: a.size,
      ...(a.from ? { from: a.from } : {}),
      ...(a.nameMismatch ? { nameMismatch: a.nameMismatch } : {}),
      ...(a.duplicates ? { duplicates: a.duplicates } : {}),
    })),
    messageFlags: inWords(unclaimed.filter((f) => !toProject.includes(f)), call),
    // The message's own reasons (an email too large to take); needed too when any project needs a person.
    ...(review.length || submissions.some((s) => s.review?.needed) ? { review: { needed: true, reasons: review } } : {}),
    submissions: submissions.map((s) => ({ ...s, flagDetails: inWords(s.flagDetails ?? [], call) })),
  };
  // Reviewers work project by project: what is about the whole email is on each of its projects too.
  for (const s of record.submissions) {
    const all = [...(s.review?.reasons ?? []), ...review];
    s.review = { needed: all.length > 0, reasons: all };
  }

  // Versions of a project are linked under its index's lock, held until every record involved is written:
  // two assemble processes (on two machines) with versions of one project then see each other.
  const projects = submissions.map((s) => s.projectKey).filter((k): k is string => !!k).map(projectIndexPath);
  const changed = await archive.withLocks(projects, async () => {
    const later = await linkVersions(record, archive);
    for (const c of [record, ...later]) refreshReview(c);
    for (const c of later) await archive.putRecord(c.messageKey, c);
    await archive.putRecord(messageKey, record);
    return later;
  });
  await indexMessage(parsed, archive);
  deps.logger.info({ kind: record.kind, submissions: submissions.length, flags: submissions.flatMap((s) => s.flags) }, "record written");
  return { record, changed, followUp: !!followUpOf };
}

/**
 * Attachment flags in the call's words: a reviewer and a receipt read why in
 * Chinese, never what a library said (that went to the log).
 */
function inWords(flags: Flag[], call: Call): Flag[] {
  return flags.map((f) => {
    const detail = flagDetailText(call, f);
    return detail === f.detail ? f : { ...f, ...(detail ? { detail } : { detail: undefined }) };
  });
}

function buildSubmission(p: Pairing, parsed: ParsedStage, call: Call, claimed: Set<string>, formFromEarlier: boolean): SubmissionResult {
  const form: FormStage | null = p.form;
  const scan: ScanStage | null = p.scan?.stage ?? null;
  const scanFiles = p.scan?.group.files ?? [];
  if (form && !formFromEarlier) claimed.add(form.attachment.name);
  for (const f of scanFiles) claimed.add(f.name);

  let fields = form?.fields ?? emptyFields();
  let sources = form?.sources ?? {};
  let fieldFlags: Flag[] = form?.flags ?? [];
  if (!form && scan?.formPages?.length) {
    const read = fieldsFromPages(scan.formPages, call, call.decisions.field);
    fields = read.fields;
    sources = read.sources;
    fieldFlags = checkFields(fields, call, { ocr: true });
  }
  const scanFlagsForFiles = parsed.flags.filter((f) => f.file && scanFiles.some((s) => s.name === f.file));
  const judged = judgeSubmission({
    form,
    scan,
    scanPresent: scanFiles.length > 0,
    // Its inspection failed for good (retries spent): our failure, so undecided, never the applicant's file.
    scanFailed: !!p.scan && !scan,
    fields,
    fieldFlags,
    sources,
    receivedAt: parsed.receivedAt,
    call,
  });
  const flagDetails = uniqueFlags([...judged.flags, ...scanFlagsForFiles]);
  return {
    projectKey: projectKeyOf(fields) ?? undefined,
    word: form ? form.attachment.name : null,
    scan: scanFiles.map((f) => f.name),
    fields,
    signoff: judged.signoff,
    flags: [...new Set(flagDetails.map(flagKey))],
    flagDetails,
    sources,
    decisions: judged.decisions,
    review: { needed: judged.review.length > 0, reasons: judged.review },
  };
}

/** Why a hostile email needs a person whatever its projects hold: a forged From, a structure refused, a reused Message-ID. */
function heldReasons(parsed: ParsedStage): ReviewReason[] {
  const held: ReviewReason[] = [];
  if (parsed.kind === "submission" && parsed.senderAuth?.verdict === "fail") {
    held.push({ code: "sender-unverified", detail: `收件服务器验证发件域名未通过（${parsed.senderAuth.detail ?? ""}），发件人地址可能被冒用；回执未引用邮件内容` });
  }
  if (parsed.partsUnread) held.push({ code: "message-unread", detail: "邮件超出大小、MIME部分数量或嵌套层数限制，附件未读取，请人工查看原始邮件" });
  if (parsed.variantOf) held.push({ code: "message-id-reused", detail: `与先收到的邮件 ${parsed.variantOf} 的Message-ID相同但内容不同：两封分别保存` });
  return held;
}

/** The record's review is needed when the message itself or any of its projects needs one. */
function refreshReview(record: MessageResult): void {
  const reasons = record.review?.reasons ?? [];
  record.review = { needed: reasons.length > 0 || record.submissions.some((s) => s.review?.needed), reasons };
}
