import { canonicalAddress, type Call } from "@intake/schema";
import { domainOf, localPartOf, normaliseAddress } from "./address.js";
import type { OriginalMessage } from "./original.js";

/** Local parts that belong to machines, which must never get a receipt (reply loops, backscatter). */
const MACHINE_LOCAL = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|mail[-_.]?delivery[-_.]?(?:system|subsystem))(?:[-+_.].*)?$/i;

export type RecipientChoice = { to: string; why: "from" | "reply-to" | "sender" } | { to: null; why: string };

/** Who gets the receipt, and why; or null with the rule that forbids one. */
export function chooseRecipient(original: OriginalMessage, call: Call): RecipientChoice {
  if (original.autoReply) return { to: null, why: "auto-reply" };
  if (original.bounce) return { to: null, why: "bounce" };
  if (original.listMail) return { to: null, why: "mailing-list" };
  if ((original.fromCount ?? 1) > 1) {
    // RFC 5322 3.6.2: a From of several mailboxes names its one sender in Sender. Without
    // a usable Sender there is nobody to answer, and answering them all would make us a relay.
    const sender = normaliseAddress(original.sender);
    if (!sender) return { to: null, why: "several-from-no-sender" };
    const refusal = refuse(sender, call);
    return refusal ? { to: null, why: `sender-${refusal}` } : { to: sender, why: "sender" };
  }
  const from = normaliseAddress(original.from);
  if (!from) return { to: null, why: "no-valid-from" };
  const refusal = refuse(from, call);
  if (refusal) return { to: null, why: `from-${refusal}` };
  // Reply-To only within the sender's own domain: a Reply-To elsewhere would
  // let anyone aim our receipts at a third party (backscatter).
  const replyTo = normaliseAddress(original.replyTo);
  if (replyTo && canonicalAddress(replyTo) !== canonicalAddress(from) && domainOf(replyTo) === domainOf(from) && !refuse(replyTo, call)) {
    return { to: replyTo, why: "reply-to" };
  }
  return { to: from, why: "from" };
}

/** The address the receipt goes to, or null when no receipt may be sent. */
export function ackRecipient(original: OriginalMessage, call: Call): string | null {
  return chooseRecipient(original, call).to;
}

function refuse(address: string, call: Call): string | null {
  if (MACHINE_LOCAL.test(localPartOf(address))) return "machine-sender";
  // Our own mailboxes, however the sender spells them (GuoYunLong+intake@…): answering them loops.
  const own = canonicalAddress(address);
  if (call.mailboxes.some((m) => canonicalAddress(m.address) === own)) return "own-mailbox";
  return null;
}
