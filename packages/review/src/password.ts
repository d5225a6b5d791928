import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs 128 MiB a hash; 2^15 with r=8 is
// 32 MiB and ~50 ms here: enough against offline guessing of a stolen file while
// a burst of logins cannot exhaust the web view's memory.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, o: ScryptOptions & { N: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LEN, { ...o, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Whether the password matches a stored hash; false for any malformed hash, in the same time as a real check. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? "").split("$");
  const ok = parts.length === 6 && parts[0] === "scrypt";
  const [n, r, p] = ok ? parts.slice(1, 4).map(Number) : [N, R, P];
  const sane = ok && [n, r, p].every((x) => Number.isInteger(x) && x! > 0) && n! <= 1 << 20 && r! <= 32 && p! <= 4;
  const salt = sane ? Buffer.from(parts[4]!, "base64url") : randomBytes(16);
  const want = sane ? Buffer.from(parts[5]!, "base64url") : randomBytes(KEY_LEN);
  // An unknown account still costs one derivation: timing does not tell which names exist.
  const got = await derive(password, salt, { N: sane ? n! : N, r: sane ? r! : R, p: sane ? p! : P });
  return sane && want.length === got.length && timingSafeEqual(want, got);
}

/** A password for a new account when none is given: 18 random bytes, base64url. */
export function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}
