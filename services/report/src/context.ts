import type { Logger } from "pino";
import type { Accounts, Journal, LoginThrottle } from "@intake/review";
import type { ArchiveReader, ReceiptLocator, ReportLabels } from "@intake/report";
import type { Call } from "@intake/schema";
import type { Previews } from "./previews.js";
import type { ReportCache } from "./report-cache.js";
import type { SessionStore } from "./sessions.js";

/** Where corrected receipts are queued (the daemon's ack workers send them). */
export interface AckQueue {
  add(name: "ack", payload: { messageKey: string; reason: "correction"; correction: string }): Promise<unknown>;
}

/** What the routes share. */
export interface ServerContext {
  archive: ArchiveReader;
  call: Call;
  labels: ReportLabels;
  cache: ReportCache;
  sessions: SessionStore;
  throttle: LoginThrottle;
  accounts: Accounts;
  journal: Journal;
  previews: Previews;
  ackQueue?: AckQueue;
  secureCookie: boolean;
  baseUrl?: string;
  receiptLocator?: ReceiptLocator;
  logger?: Logger;
}

export const SESSION_COOKIE = "intake_report_session";
export const DEVICE_COOKIE = "intake_report_device";
