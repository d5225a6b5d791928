export {};
export { contentDigest, messageKeyOf, rawMessageId } from "./message-key.js";
export type { SourceMessage, MessageSink, MailboxCheckpoint, CheckpointStore, MailSource } from "./sources/source.js";
export { ImapPoller, type ImapPollerOptions, type MarkHandledMode } from "./imap/poller.js";
export { parseMessage } from "./parse/parse-message.js";
export { sniffType } from "./parse/file-type.js";
export { sanitiseFileName } from "./parse/file-name.js";
export { DEFAULT_MAIL_LIMITS, type MailLimits } from "./parse/limits.js";
export type { Attachment, AttachmentRole, Address, FileType, ParsedMessage, ParseMessageOptions } from "./parse/types.js";
