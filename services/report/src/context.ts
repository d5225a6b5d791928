import type { Logger } from "pino";
import type { ArchiveReader, ReceiptLocator, ReportLabels } from "@intake/report";
import type { LoginThrottle } from "./login-throttle.js";
import type { ReportCache } from "./report-cache.js";
import type { SessionStore } from "./sessions.js";

/** What the routes share. */
export interface ServerContext {
  archive: ArchiveReader;
  labels: ReportLabels;
  cache: ReportCache;
  sessions: SessionStore;
  throttle: LoginThrottle;
  password: string;
  secureCookie: boolean;
  receiptLocator?: ReceiptLocator;
  logger?: Logger;
}

export const SESSION_COOKIE = "intake_report_session";
