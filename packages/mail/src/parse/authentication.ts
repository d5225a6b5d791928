import { rawValue, type HeaderLine } from "./header-values.js";

/** What the receiving server found about the From domain: authenticated, failed, or nothing said. */
export type SenderAuthVerdict = "pass" | "fail" | "none";

export interface SenderAuth {
  verdict: SenderAuthVerdict;
  /** The results that decided it, as the server wrote them (for reviewers and logs). */
  detail: string;
}

export interface SenderAuthOptions {
  /**
   * The receiving server's authserv-id(s) as it writes them first in
   * Authentication-Results (`mx.qq.com`, Coremail's short `mx19`); `*` matches
   * any run of characters. Empty: every Authentication-Results field counts.
   */
  trustedServIds?: readonly string[];
}

interface Result {
  method: string;
  result: string;
  props: Record<string, string>;
}

/** Comments, nested or not: "dmarc=none(permerror)", "spf=pass (mx: domain of … designates …)". */
function stripComments(s: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (const c of s) {
    if (c === '"' && depth === 0) quoted = !quoted;
    if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")" && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** One Authentication-Results value (RFC 8601): its authserv-id and each method's result. */
export function parseAuthResults(value: string): { servId: string; results: Result[] } {
  const [head = "", ...rest] = stripComments(value).split(";");
  const servId = head.trim().split(/\s+/)[0]!.toLowerCase();
  const results: Result[] = [];
  for (const part of rest) {
    const m = /^\s*([a-z0-9_-]+)(?:\/[0-9]+)?\s*=\s*([a-z]+)(.*)$/is.exec(part);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const p of m[3]!.matchAll(/([a-z]+\.[a-z0-9_.-]+)\s*=\s*("[^"]*"|[^\s;]*)/gi)) {
      props[p[1]!.toLowerCase()] = p[2]!.replace(/^"|"$/g, "").trim();
    }
    results.push({ method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props });
  }
  return { servId, results };
}

const domainOf = (s: string | undefined): string => (s ?? "").slice((s ?? "").lastIndexOf("@") + 1).trim().toLowerCase().replace(/\.$/, "");

/** Relaxed alignment without a suffix list: one domain is the other or a subdomain of it. */
function aligned(a: string, b: string): boolean {
  return !!a && !!b && (a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`));
}

function trusted(servId: string, ids: readonly string[]): boolean {
  if (!ids.length) return true;
  return ids.some((id) => new RegExp(`^${id.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(servId));
}

/**
 * Whether the receiving server authenticated the From domain, from its
 * Authentication-Results fields. A sender can write such fields into its own
 * email, so a result only ever counts against it: a failure anywhere among
 * the trusted fields wins over any pass: a DMARC fail, or an SPF hard fail
 * for an envelope domain aligned with From. Otherwise a DMARC pass, or an
 * aligned DKIM or SPF pass, is a pass. A softfail, a neutral, an error or
 * nothing at all says nothing.
 */
export function senderAuthentication(lines: readonly HeaderLine[], fromAddress: string | null, opts: SenderAuthOptions = {}): SenderAuth {
  const from = domainOf(fromAddress ?? "");
  if (!from) return { verdict: "none", detail: "no From address" };
  const ids = opts.trustedServIds ?? [];
  let dmarcPass = false;
  let dmarcFail = false;
  let alignedPass = false;
  let spfFail = false;
  const said: string[] = [];
  for (const h of lines) {
    if (h.key.toLowerCase() !== "authentication-results") continue;
    const { servId, results } = parseAuthResults(rawValue(h));
    if (!trusted(servId, ids)) continue;
    for (const r of results) {
      if (r.method === "dmarc") {
        const about = domainOf(r.props["header.from"]);
        if (about && !aligned(about, from)) continue;
        if (r.result === "pass") dmarcPass = true;
        if (r.result === "fail") dmarcFail = true;
      } else if (r.method === "dkim") {
        if (r.result === "pass" && aligned(domainOf(r.props["header.d"] ?? r.props["header.i"]), from)) alignedPass = true;
      } else if (r.method === "spf") {
        // Coremail writes smtp.mail=, others smtp.mailfrom=; an empty one (the null sender) aligns with nothing.
        const envelope = domainOf(r.props["smtp.mailfrom"] ?? r.props["smtp.mail"]);
        if (!aligned(envelope, from)) continue;
        if (r.result === "pass") alignedPass = true;
        if (r.result === "fail") spfFail = true;
      } else continue;
      said.push(`${servId}: ${r.method}=${r.result}`);
    }
  }
  const detail = said.join("; ").slice(0, 300) || "no Authentication-Results about the From domain";
  if (dmarcFail || spfFail) return { verdict: "fail", detail };
  if (dmarcPass || alignedPass) return { verdict: "pass", detail };
  return { verdict: "none", detail };
}
