import type { Archive, Sighting } from "@intake/archive";

/** Beside the headers of an email too large to take: its size and the limit it exceeded. */
export const OVERSIZED_NOTE = "oversized.json";

export interface OversizedNote {
  size: number;
  limit: number;
}

/** A raw message as a mailbox source hands it over. */
export interface IncomingMessage {
  mailbox: string;
  uid?: number;
  uidValidity?: string;
  /** ISO 8601. */
  internalDate?: string;
  /** The whole email, or only its headers when `oversized` is set. */
  raw: Buffer;
  /** Set for an email over the size limit: it was not downloaded, `raw` holds its headers. */
  oversized?: OversizedNote;
}

/**
 * Archives an email once (per key and content) and notes where it was seen. An email too
 * large to take is archived as its headers with a note of its size, so it
 * still gets a record (flagged, for a person) instead of being skipped.
 */
export async function archiveIncoming(archive: Archive, msg: IncomingMessage): Promise<{ messageKey: string; created: boolean }> {
  const sighting: Sighting = {
    mailbox: msg.mailbox,
    ...(msg.uid !== undefined ? { uid: msg.uid } : {}),
    ...(msg.uidValidity !== undefined ? { uidValidity: msg.uidValidity } : {}),
    ...(msg.internalDate !== undefined ? { internalDate: msg.internalDate } : {}),
    seenAt: new Date().toISOString(),
  };
  // By key and content: a different email reusing a Message-ID is filed apart (Archive.putMessage).
  const { messageKey, created } = await archive.putMessage(msg.raw, sighting);
  if (msg.oversized) await archive.putFile(messageKey, OVERSIZED_NOTE, JSON.stringify(msg.oversized));
  return { messageKey, created };
}

/** The headers of a raw email (up to the blank line), for an email too large to keep whole. */
export function headersOf(raw: Buffer): Buffer {
  const end = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const cut = end >= 0 && (lf < 0 || end < lf) ? end + 4 : lf >= 0 ? lf + 2 : Math.min(raw.length, 256 * 1024);
  return Buffer.from(raw.subarray(0, Math.min(cut, 256 * 1024)));
}
