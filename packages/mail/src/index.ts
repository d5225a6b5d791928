export {};
export { messageKeyOf, rawMessageId } from "./message-key.js";
export type { SourceMessage, MessageSink, MailboxCheckpoint, CheckpointStore, MailSource } from "./sources/source.js";
export { ImapPoller, type ImapPollerOptions, type MarkHandledMode } from "./imap/poller.js";
