import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a typed password with the configured one in constant time: both
 * are hashed first so neither length nor content leaks through timing.
 */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
