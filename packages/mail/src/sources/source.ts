/** A raw message as a mailbox source hands it over. */
export interface SourceMessage {
  /** The mailbox id from the settings (guoyunlong, qijiaru). */
  mailbox: string;
  uid?: number;
  uidValidity?: string;
  /** IMAP INTERNALDATE, ISO 8601. */
  internalDate?: string;
  /** The whole message, or only its headers when it is `oversized`. */
  raw: Buffer;
  /** Set when the message was too large to download: `raw` holds its headers only. */
  oversized?: { size: number; limit: number };
}

/**
 * Takes a message for good (archive, enqueue). The source marks the message
 * handled and moves its checkpoint only after this resolves; a rejection
 * leaves both alone so the message is taken again later.
 */
export type MessageSink = (msg: SourceMessage) => Promise<unknown>;

export interface MailboxCheckpoint {
  uidValidity: string;
  lastUid: number;
}

/** Where a source keeps how far it got (the archive, in the daemon). */
export interface CheckpointStore {
  get(mailbox: string): Promise<MailboxCheckpoint | null>;
  set(mailbox: string, cp: MailboxCheckpoint): Promise<void>;
}

/** A running mailbox watcher. */
export interface MailSource {
  readonly mailbox: string;
  /** Starts watching in the background; errors are logged and retried, never thrown. */
  start(): void;
  /** Stops watching after the message in hand is done; resolves once the connection is closed. */
  stop(): Promise<void>;
}
