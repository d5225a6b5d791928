import { createHash } from "node:crypto";
import { canonicalAddress, type Fields, type MessageResult, type SubmissionResult } from "@intake/schema";

import type { Archive } from "@intake/archive";
import { foldName } from "../text-similarity.js";

interface Version {
  messageKey: string;
  messageId: string | null;
  receivedAt: string | null;
  /** The From address, canonical; null when unknown (older index entries too). */
  sender?: string | null;
  /** The receiving server found the From domain failing authentication. */
  senderFailed?: boolean;
  /** The email this one completes (a follow-up carrying a missing file), by Message-ID or key. */
  followUpOf?: string | null;
}

/** What a version is to its project: the first, a newer one from the current version's sender, or held for a reviewer. */
type Standing = "first" | "newer" | "held";

/** Why a version is held: another sender than the current version's, or a follow-up from another sender than the email it completes. */
export const HELD_CODES = ["other-sender-version", "other-sender-follow-up"] as const;
type HeldCode = (typeof HELD_CODES)[number];

interface Place {
  standing: Standing;
  current: Version | null;
  sender: string | null;
  code: HeldCode;
  /** For a follow-up: the sender of the email it completes. */
  followedSender?: string | null;
}

export const projectIndexPath = (projectKey: string): string => `index/projects/${projectKey}.json`;
const indexPath = projectIndexPath;

/** A project's identity across messages: the unit and the project name, folded. Null when either is unknown. */
export function projectKeyOf(fields: Fields): string | null {
  const unit = fields["cover.applicantUnit"] ?? fields["unit.name"];
  const project = fields["cover.projectName"];
  if (!unit || !project) return null;
  return createHash("sha256").update(`${foldName(unit)}|${foldName(project)}`).digest("hex").slice(0, 24);
}

/**
 * The project key a held version is filed under: its own, per sender, so
 * that the project's current version stays the newest of its own line in
 * every view until a reviewer decides.
 */
function heldKeyOf(projectKey: string, sender: string | null | undefined): string {
  return `${projectKey}-${createHash("sha256").update(sender ?? "").digest("hex").slice(0, 8)}`;
}

/**
 * Records this message's projects in the archive's project index and sets
 * each version's standing. Anyone can write to the mailboxes and name any
 * unit's project, so a newer version takes over only when it comes from the
 * sender of the version it replaces (and its From was not found forged):
 * then it is a `resubmission` and the newest counts. A newer version from
 * anyone else is held: it keeps a project key of its own, the current
 * version stays current, and a reviewer is asked (review reason
 * other-sender-version). Messages may be processed out of order (a replay,
 * two folders), so standings are worked out again over all versions each
 * time; records of other messages whose standing changed are returned so
 * they can be saved. Call it holding the locks of the record's project
 * indexes (projectIndexPath of projectKeyOf) until those records and this
 * one are written.
 */
export async function linkVersions(result: MessageResult, archive: Archive): Promise<MessageResult[]> {
  const changed = new Map<string, MessageResult>();
  const me: Version = {
    messageKey: result.messageKey,
    messageId: result.messageId,
    receivedAt: result.receivedAt ?? null,
    sender: result.from ? canonicalAddress(result.from) : null,
    senderFailed: result.senderAuth?.verdict === "fail",
    followUpOf: result.followUpOf ?? null,
  };
  for (const sub of result.submissions) {
    const projectKey = projectKeyOf(sub.fields);
    if (!projectKey) continue;
    const versions = (await archive.readJson<Version[]>(indexPath(projectKey))) ?? [];
    const all = [...versions.filter((v) => v.messageKey !== me.messageKey), me].sort(byArrival);
    await archive.putJson(indexPath(projectKey), all);

    const standings = standingsOf(all);
    for (const v of all) {
      const rec = v.messageKey === me.messageKey ? result : (changed.get(v.messageKey) ?? (await archive.readRecord(v.messageKey)));
      if (!rec) continue;
      let touched = false;
      for (const s of rec.submissions) {
        if (projectKeyOf(s.fields) === projectKey) touched = setStanding(s, projectKey, standings.get(v.messageKey)!) || touched;
      }
      if (touched && rec !== result) changed.set(v.messageKey, rec);
    }
  }
  return [...changed.values()];
}

/**
 * Walks the versions in arrival order, following the current version's
 * sender. A follow-up from another sender than the email it completes is
 * held whoever the current version's sender is: joining a file to someone
 * else's form is a reviewer's call.
 */
function standingsOf(sorted: readonly Version[]): Map<string, Place> {
  const out = new Map<string, Place>();
  let current: Version | null = null;
  for (const v of sorted) {
    const sender = v.sender ?? null;
    const followed = v.followUpOf ? sorted.find((x) => x !== v && (x.messageId === v.followUpOf || x.messageKey === v.followUpOf)) : undefined;
    const foreignFollowUp = !!followed && ((followed.sender ?? null) !== sender || !sender || !!v.senderFailed);
    if (foreignFollowUp) {
      out.set(v.messageKey, { standing: "held", current, sender, code: "other-sender-follow-up", followedSender: followed.sender ?? null });
    } else if (!current) {
      out.set(v.messageKey, { standing: "first", current: null, sender, code: "other-sender-version" });
      current = v;
    } else if (sender && sender === current.sender && !v.senderFailed) {
      out.set(v.messageKey, { standing: "newer", current, sender, code: "other-sender-version" });
      current = v;
    } else {
      out.set(v.messageKey, { standing: "held", current, sender, code: "other-sender-version" });
    }
  }
  return out;
}

/** Sets one submission's project key, flag and review reason for its standing; true when anything changed. */
function setStanding(s: SubmissionResult, projectKey: string, { standing, current, sender, code, followedSender }: Place): boolean {
  const before = JSON.stringify([s.projectKey, s.heldVersion, s.flags, s.flagDetails, s.review]);
  s.projectKey = standing === "held" ? heldKeyOf(projectKey, sender) : projectKey;
  if (standing === "held") s.heldVersion = { of: projectKey };
  else delete s.heldVersion;
  s.flags = s.flags.filter((f) => f !== "resubmission");
  s.flagDetails = (s.flagDetails ?? []).filter((f) => f.code !== "resubmission");
  const reasons = (s.review?.reasons ?? []).filter((r) => !(HELD_CODES as readonly string[]).includes(r.code));
  if (standing !== "first") {
    s.flags.push("resubmission");
    s.flagDetails.push(
      standing === "newer"
        ? { code: "resubmission" }
        : code === "other-sender-follow-up"
          ? { code: "resubmission", detail: `所补充的邮件由其他发件人（${followedSender ?? "未知"}）报送；本邮件须经人工核对后方可并入` }
          : { code: "resubmission", detail: `同名项目的此前版本由其他发件人（${current?.sender ?? "未知"}）报送；本版本须经人工核对后方可替代` },
    );
  }
  if (standing === "held") reasons.push({ code, detail: heldDetail(code, sender, current, followedSender) });
  s.review = { needed: reasons.length > 0, reasons };
  return JSON.stringify([s.projectKey, s.heldVersion, s.flags, s.flagDetails, s.review]) !== before;
}

function heldDetail(code: HeldCode, sender: string | null, current: Version | null, followedSender: string | null | undefined): string {
  const me = `发件人${sender ?? "（未知）"}`;
  if (code === "other-sender-follow-up") return sender && sender === followedSender ? `${me}的发件域名未通过验证` : `${me}与所补充邮件的发件人（${followedSender ?? "未知"}）不同`;
  const why = sender && sender === current?.sender ? "的发件域名未通过验证" : `与当前版本的发件人（${current?.sender ?? "未知"}）不同`;
  return `${me}${why}；当前版本：${current?.messageId ?? current?.messageKey ?? "未知"}`;
}

function byArrival(a: Version, b: Version): number {
  const ta = a.receivedAt ? Date.parse(a.receivedAt) : Infinity;
  const tb = b.receivedAt ? Date.parse(b.receivedAt) : Infinity;
  return ta !== tb ? ta - tb : a.messageKey.localeCompare(b.messageKey);
}
