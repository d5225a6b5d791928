export { hashPassword, verifyPassword, randomPassword } from "./password.js";
export { Accounts, Account, AccountError, ACCOUNT_NAME, Role, ROLES, type AccountStore } from "./accounts.js";
export { ArchiveAccountStore } from "./account-store-archive.js";
export { PgAccountStore, openAccountStore } from "./account-store-pg.js";
export { LoginThrottle, type LoginThrottleOptions, type LoginAttempt, type ThrottleVerdict } from "./login-throttle.js";
export { Journal, JOURNAL_PATH, type JournalOptions, type NewEntry } from "./journal.js";
export {
  JournalEntry,
  JournalTarget,
  REVIEW_STATES,
  ReviewStateCode,
  CORRECTABLE_DECISIONS,
  DecisionAbout,
  DecisionAfter,
  StateAfter,
  ReceiptAfter,
  VersionAfter,
  targetKey,
} from "./journal-entry.js";
export { applyCorrections, parseFieldText, DECISION_FLAGS, type CorrectedRecord, type SubmissionReview, type ReviewState } from "./corrections.js";
