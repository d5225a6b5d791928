/**
 * A bare mailbox address we are willing to write into an envelope and a To
 * header: ASCII or UTF-8 local part without spaces, quotes, angle brackets or
 * controls, a dotted domain. Anything else is refused rather than repaired.
 */
const LOCAL = String.raw`[^\s"<>()[\]\\,;:@\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,64}`;
const LABEL = String.raw`[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?`;
const ADDRESS = new RegExp(String.raw`^${LOCAL}@(?:${LABEL}\.)+[a-z\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?$`, "iu");

/** The normalised address (domain lower-cased), or null when it is not a plain, safe address. */
export function normaliseAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  if (v.length > 254 || !ADDRESS.test(v)) return null;
  const at = v.lastIndexOf("@");
  return `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

export function localPartOf(address: string): string {
  return address.slice(0, address.lastIndexOf("@"));
}

/** A Message-ID as `<left@right>` without spaces or controls, or null. */
export function normaliseMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  const m = /^<?([^\s<>@\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,200}@[^\s<>@\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,200})>?$/u.exec(v);
  return m ? `<${m[1]}>` : null;
}
