import type { IntakeStatus } from "./status-report.js";

const STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed", "completed"] as const;

function ago(iso: string | null, now: number): string {
  if (!iso) return "never";
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 120) return `${iso} (${s}s ago)`;
  if (s < 7200) return `${iso} (${Math.round(s / 60)}m ago)`;
  if (s < 172800) return `${iso} (${Math.round(s / 3600)}h ago)`;
  return `${iso} (${Math.round(s / 86400)}d ago)`;
}

/** `intake status` as text: one block per concern, failures last with what to run. */
export function formatStatus(st: IntakeStatus, now = Date.now()): string {
  const a = st.archive;
  const lines: string[] = [];
  lines.push(`archive   ${a.root}`);
  lines.push(
    `          ${a.messages} messages, ${a.records} records, ${a.submissions} submissions, ${a.pending.length} without a record, ${a.unparsable.length} unparsable`,
  );
  const kinds = Object.entries(a.byKind).map(([k, n]) => `${k} ${n}`);
  if (kinds.length) lines.push(`          kinds: ${kinds.join(", ")}`);
  const receipts = Object.entries(a.receipts).map(([k, n]) => `${k} ${n}`);
  lines.push(`          receipts: ${receipts.length ? receipts.join(", ") : "none"}`);
  lines.push("", "mailboxes");
  for (const m of st.mailboxes) {
    const cp = m.checkpoint ? `uidValidity ${m.checkpoint.uidValidity}, last uid ${m.checkpoint.lastUid}` : "no checkpoint yet";
    lines.push(`  ${m.id}  ${m.address}`);
    lines.push(`      checkpoint: ${cp}; moved ${ago(m.checkpointAt, now)}`);
    lines.push(`      last message taken: ${ago(m.lastMessageAt, now)}; ${m.messages} taken in all`);
    lines.push(`      last checked: ${ago(m.lastPollAt, now)}  ${m.problem ? `✗ ${m.problem}` : "✓"}`);
  }
  const smtp = st.smtp;
  lines.push("", `smtp      ${smtp.mode === "outbox" ? "outbox mode (receipts written as files)" : "sending"}  ${smtp.problem ? `✗ ${smtp.problem}` : "✓"}`);
  lines.push(`          last success: ${ago(smtp.lastSuccessAt, now)}; last failure: ${ago(smtp.lastFailureAt, now)}${smtp.lastError && !smtp.problem ? ` (${smtp.lastError})` : ""}`);
  lines.push("", `redis     ${st.redis.url}  ${st.redis.ok ? "✓" : `✗ ${st.redis.error ?? "unreachable"}`}`);
  if (st.queues) {
    const width = Math.max(...Object.keys(st.queues).map((q) => q.length), 5);
    lines.push(`  ${"queue".padEnd(width)}  ${STATES.map((s) => s.padStart(Math.max(s.length, 6))).join(" ")}`);
    for (const [q, counts] of Object.entries(st.queues)) {
      lines.push(`  ${q.padEnd(width)}  ${STATES.map((s) => String(counts[s] ?? 0).padStart(Math.max(s.length, 6))).join(" ")}`);
    }
  } else {
    lines.push("  queue depths unknown: Redis does not answer (run `intake doctor`)");
  }

  const failures: string[] = [];
  for (const j of st.failedJobs) {
    failures.push(`  job ${j.queue} ${j.id}${j.messageKey ? ` (${j.messageKey})` : ""}, ${j.attempts} attempts, ${j.failedAt ?? "?"}: ${j.reason}`);
  }
  for (const k of a.unparsable) failures.push(`  unparsable ${k}`);
  for (const k of a.failedReceipts) failures.push(`  receipt not delivered ${k}`);
  for (const m of st.mailboxes) if (m.problem) failures.push(`  mailbox ${m.id} ${m.problem}`);
  if (smtp.problem) failures.push(`  smtp ${smtp.problem}`);
  lines.push("", failures.length ? `failures (${failures.length})` : "failures: none");
  lines.push(...failures);
  if (st.failedJobs.length || a.unparsable.length) lines.push("  → after a fix: intake replay --failed");
  if (st.mailboxes.some((m) => m.problem) || smtp.problem) lines.push("  → is the daemon running (`intake run`)? `intake doctor` checks each login and SMTP");
  if (a.failedReceipts.length) lines.push("  → once the address or server is fixed: intake resend-ack <message key>");
  return lines.join("\n");
}
