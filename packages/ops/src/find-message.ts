import { ackReference } from "@intake/ack";
import { messageKeyOf } from "@intake/mail/keys";
import type { Archive } from "@intake/archive";
import type { Call } from "@intake/schema";

export interface FoundMessage {
  messageKey: string;
  /** How the reference matched. */
  by: "message key" | "Message-ID" | "receipt reference" | "project key";
}

async function hasRaw(archive: Archive, key: string): Promise<boolean> {
  // A reference that is not a valid key at all is simply not one.
  return archive.hasRaw(key).catch(() => false);
}

/**
 * Finds the archived message a person refers to: its message key, its
 * Message-ID (with or without <>), the reference printed on the receipt
 * (e.g. 2026-7K3M9QXA), or a submission's project key (the latest version).
 */
export async function findMessage(archive: Archive, call: Call, ref: string): Promise<FoundMessage | null> {
  const r = ref.trim();
  if (!r) return null;
  if (await hasRaw(archive, r)) return { messageKey: r, by: "message key" };
  const id = r.replace(/^<|>$/g, "");
  // The key of a Message-ID is derived exactly as the poller derives it, from a header.
  const fromId = messageKeyOf(Buffer.from(`Message-ID: <${id}>\r\n\r\n`));
  if (!fromId.startsWith("sha256-") && (await hasRaw(archive, fromId))) return { messageKey: fromId, by: "Message-ID" };

  let project: { key: string; at: string } | null = null;
  for (const key of await archive.listMessages()) {
    if (ackReference(call, key).toUpperCase() === r.toUpperCase()) return { messageKey: key, by: "receipt reference" };
    const rec = await archive.readRecord(key).catch(() => null);
    if (rec?.submissions.some((s) => s.projectKey === r)) {
      const at = rec.receivedAt ?? "";
      if (!project || at >= project.at) project = { key, at };
    }
  }
  return project ? { messageKey: project.key, by: "project key" } : null;
}
