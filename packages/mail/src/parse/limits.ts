/** Bounds on the work one message may cause; every hostile input hits one of these before it hurts. */
export interface MailLimits {
  /** Raw message larger than this is not parsed at all. Default 100 MB. */
  maxMessageBytes: number;
  /** One header field (unfolded) is cut to this many bytes before parsing. Default 16 KB. */
  maxHeaderFieldBytes: number;
  /**
   * One header block is cut to this many bytes before parsing (each line counting at
   * least 64, as mailparser counts them); past it only the fields that carry the MIME
   * structure, the sender and the subject are kept. Default 256 KB.
   */
  maxHeaderBlockBytes: number;
  /** Each value in `ParsedMessage.headers` is cut to this many characters. Default 4096. */
  maxHeaderValueChars: number;
  /** The plain body is cut to this many characters. Default 200 000. */
  maxTextChars: number;
  /** Attachments kept per message, after unpacking; forms and scans are kept first. Default 100. */
  maxAttachments: number;
  /** One attachment larger than this is refused (flagged, content dropped). Default 64 MB. */
  maxAttachmentBytes: number;
  /** How deep zips and forwarded messages are unpacked inside each other. Default 3. */
  maxNestingDepth: number;
  /** An archive with more entries than this is refused before extraction. Default 1000. */
  maxArchiveEntries: number;
  /** Total bytes unpacked from all archives of one message. Default 200 MB. */
  maxUnpackedBytes: number;
  /** Largest compression ratio accepted for an archive entry over 1 MB. Default 100. */
  maxCompressionRatio: number;
  /** An inline (cid) image smaller than this is taken as decoration, not as a scan. Default 30 KB. */
  minInlineScanBytes: number;
}

export const DEFAULT_MAIL_LIMITS: Readonly<MailLimits> = Object.freeze({
  maxMessageBytes: 100 * 1024 * 1024,
  maxHeaderFieldBytes: 16 * 1024,
  maxHeaderBlockBytes: 256 * 1024,
  maxHeaderValueChars: 4096,
  maxTextChars: 200_000,
  maxAttachments: 100,
  maxAttachmentBytes: 64 * 1024 * 1024,
  maxNestingDepth: 3,
  maxArchiveEntries: 1000,
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  minInlineScanBytes: 30 * 1024,
});

export function resolveLimits(partial?: Partial<MailLimits>): MailLimits {
  return { ...DEFAULT_MAIL_LIMITS, ...(partial ?? {}) };
}
