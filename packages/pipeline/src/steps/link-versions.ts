import { createHash } from "node:crypto";
import type { Fields, MessageResult } from "@intake/schema";

import type { Archive } from "../archive/archive.js";
import { foldName } from "../text-similarity.js";

interface Version {
  messageKey: string;
  messageId: string | null;
  receivedAt: string | null;
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
 * Records this message's projects in the archive's project index and marks a
 * later version of a project already received as `resubmission` (both are
 * kept; the newest counts). Messages may be processed out of order (a replay,
 * two folders), so an older message processed late also marks the newer
 * records it precedes; their keys are returned so their records can be saved.
 * Call it holding the locks of the record's project indexes (projectIndexPath)
 * until those records and this one are written.
 */
export async function linkVersions(result: MessageResult, archive: Archive): Promise<MessageResult[]> {
  const changed = new Map<string, MessageResult>();
  for (const sub of result.submissions) {
    if (!sub.projectKey) continue;
    const versions = (await archive.readJson<Version[]>(indexPath(sub.projectKey))) ?? [];
    const me: Version = { messageKey: result.messageKey, messageId: result.messageId, receivedAt: result.receivedAt ?? null };
    const others = versions.filter((v) => v.messageKey !== me.messageKey);
    await archive.putJson(indexPath(sub.projectKey), [...others, me].sort(byArrival));

    if (others.some((v) => byArrival(v, me) < 0)) addResubmission(sub);
    for (const later of others.filter((v) => byArrival(me, v) < 0)) {
      const rec = changed.get(later.messageKey) ?? (await archive.readRecord(later.messageKey));
      if (!rec) continue;
      for (const s of rec.submissions) if (s.projectKey === sub.projectKey) addResubmission(s);
      changed.set(later.messageKey, rec);
    }
  }
  return [...changed.values()];
}

function addResubmission(sub: MessageResult["submissions"][number]): void {
  if (sub.flags.includes("resubmission")) return;
  sub.flags.push("resubmission");
  sub.flagDetails?.push({ code: "resubmission" });
}

function byArrival(a: Version, b: Version): number {
  const ta = a.receivedAt ? Date.parse(a.receivedAt) : Infinity;
  const tb = b.receivedAt ? Date.parse(b.receivedAt) : Infinity;
  return ta !== tb ? ta - tb : a.messageKey.localeCompare(b.messageKey);
}

