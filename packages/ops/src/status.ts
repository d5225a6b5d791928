// What `intake status` needs, and only that: the settings, the status and its
// text. The package's index also loads doctor (IMAP, SMTP, OCR) and replay
// (the whole pipeline), which took most of a status's time on a busy machine.
export * from "./context.js";
export * from "./status-report.js";
export * from "./status-text.js";
