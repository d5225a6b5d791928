/**
 * An email address as one mailbox, for comparing who is who: lower-cased,
 * and without a +tag in the local part (GuoYunLong+intake@cast.org.cn is
 * guoyunlong@cast.org.cn). Not for sending: that keeps the address as written.
 */
export function canonicalAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf("@");
  if (at <= 0) return a;
  const local = a.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus > 0 ? local.slice(0, plus) : local}@${a.slice(at + 1)}`;
}
