import { createHash } from "node:crypto";
import type { Archive } from "@intake/archive";
import { canonicalAddress } from "@intake/schema";
import type { FormStage, ParsedStage } from "../stage.js";
import { PARSED_STAGE, readStageFile } from "../stage.js";

const idIndex = (messageId: string): string => `index/message-ids/${hash(messageId)}.json`;
const senderIndex = (address: string): string => `index/senders/${hash(address.toLowerCase())}.json`;

function hash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 32);
}

/** Remembers who sent what, so a later email can be linked to this one. */
export async function indexMessage(parsed: ParsedStage, archive: Archive): Promise<void> {
  if (parsed.messageId) await archive.putJson(idIndex(parsed.messageId), parsed.messageKey);
  if (parsed.from) {
    const path = senderIndex(parsed.from);
    // Locked: two assemble processes adding to one sender's list must not drop each other's entry.
    await archive.withLocks([path], async () => {
      const keys = (await archive.readJson<string[]>(path)) ?? [];
      if (!keys.includes(parsed.messageKey)) await archive.putJson(path, [...keys, parsed.messageKey]);
    });
  }
}

export interface FollowUp {
  messageKey: string;
  messageId: string | null;
  /** The earlier email's From, as written. */
  from: string | null;
  forms: FormStage[];
}

/**
 * A message carrying only scanned copies may complete an earlier one that
 * carried the Word form without its scan: linked when it answers that email
 * (In-Reply-To/References), or when the same sender's one earlier message
 * with forms is the only candidate. The earlier message's forms then pair
 * with this message's scans. A reply can come from anyone who saw the
 * Message-ID: whether one from another sender may complete the email is a
 * reviewer's call (see isForeignFollowUp).
 */
export async function findFollowUpOf(parsed: ParsedStage, archive: Archive): Promise<FollowUp | null> {
  if (parsed.forms.length > 0 || parsed.scanGroups.length === 0) return null;
  const referenced = [parsed.inReplyTo, ...parsed.references].filter((x): x is string => !!x);
  for (const id of referenced.reverse()) {
    const key = await archive.readJson<string>(idIndex(id));
    const earlier = key ? await formsOf(key, archive) : null;
    if (earlier) return earlier;
  }
  if (!parsed.from) return null;
  const keys = ((await archive.readJson<string[]>(senderIndex(parsed.from))) ?? []).filter((k) => k !== parsed.messageKey);
  const candidates: FollowUp[] = [];
  for (const k of keys) {
    const f = await formsOf(k, archive);
    if (f && (await isEarlier(k, parsed, archive))) candidates.push(f);
  }
  return candidates.length === 1 ? candidates[0]! : null;
}

async function formsOf(messageKey: string, archive: Archive): Promise<FollowUp | null> {
  const stage = await readStage(messageKey, archive);
  if (!stage || stage.forms.length === 0) return null;
  const record = await archive.readRecord(messageKey);
  const waiting = record?.submissions.some((s) => s.flags.includes("missing-scan")) ?? false;
  if (!waiting) return null;
  return { messageKey, messageId: stage.messageId, from: stage.from, forms: stage.forms };
}

async function isEarlier(key: string, parsed: ParsedStage, archive: Archive): Promise<boolean> {
  const stage = await readStage(key, archive);
  if (!stage?.receivedAt || !parsed.receivedAt) return true;
  return Date.parse(stage.receivedAt) <= Date.parse(parsed.receivedAt);
}

/** A follow-up from another sender than the email it completes, or whose From failed authentication: held for a reviewer. */
export function isForeignFollowUp(parsed: ParsedStage, follow: FollowUp): boolean {
  if (parsed.senderAuth?.verdict === "fail" || !parsed.from || !follow.from) return true;
  return canonicalAddress(parsed.from) !== canonicalAddress(follow.from);
}

export function readStage(messageKey: string, archive: Archive): Promise<ParsedStage | null> {
  return readStageFile<ParsedStage>(archive, messageKey, PARSED_STAGE);
}
