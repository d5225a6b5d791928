/** `YYYY-MM-DD` of an instant in the call's time zone; "" when unknown or unparsable. */
export function localDate(iso: string | null | undefined, timeZone: string): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

/** `YYYY-MM-DD HH:mm` in the call's time zone, for people. */
export function localDateTime(iso: string | null | undefined, timeZone: string): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? "";
  return `${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")}`;
}

/**
 * The instant as the call's wall-clock time in a Date whose UTC fields hold it:
 * spreadsheets have no time zones and show a date cell's UTC fields, so this
 * shows Beijing time, as every other page does. null when unknown.
 */
export function localWallClock(iso: string | null | undefined, timeZone: string): Date | null {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return null;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(d);
  const p = (t: string) => Number(parts.find((x) => x.type === t)?.value ?? 0);
  return new Date(Date.UTC(p("year"), p("month") - 1, p("day"), p("hour"), p("minute"), p("second")));
}
