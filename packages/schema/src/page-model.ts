import { z } from "zod";
import { PageBox } from "./decision.js";

/**
 * What a scanned form page holds, as the scan reads it and the form reads
 * its fields from: table rows of cells, fill-in blanks with their labels,
 * the free text between them, and the boxes a tick can go in. Every item
 * carries its page, its box (fractions of the upright page) and how sure
 * the reading is (0..1), so a field keeps where it came from.
 */
export const PageText = z.object({
  text: z.string(),
  box: PageBox,
  confidence: z.number().min(0).max(1),
});
export type PageText = z.infer<typeof PageText>;

/** A region where an answer is written: a table cell, or the space above a fill-in line. */
export const PageCell = z.object({
  /** Its paragraphs (lines wrapped at the cell's edge joined), "\n" between them; "" when empty. */
  text: z.string(),
  box: PageBox,
  /** Of the reading; for an empty cell, how sure it is that nothing is written there. */
  confidence: z.number().min(0).max(1),
  /** The text lines as read, top to bottom. */
  lines: z.array(PageText),
  /** Whether any writing is in it, from the pixels (OCR aside). */
  inked: z.boolean(),
});
export type PageCell = z.infer<typeof PageCell>;

export const PageItem = z.discriminatedUnion("kind", [
  /** A table row, its cells left to right. */
  z.object({ kind: z.literal("row"), page: z.number().int(), box: PageBox, cells: z.array(PageCell) }),
  /** A fill-in blank (填报时间 ______): the label printed left of it and what is written on it. */
  z.object({ kind: z.literal("blank"), page: z.number().int(), box: PageBox, label: PageText.nullable(), answer: PageCell }),
  /** A line of text outside tables and blanks (a title, a heading, a paragraph's line). */
  z.object({ kind: z.literal("line"), page: z.number().int(), box: PageBox, text: z.string(), confidence: z.number().min(0).max(1) }),
]);
export type PageItem = z.infer<typeof PageItem>;

/** A box to tick, as seen in the pixels or read by OCR. */
export const PageTick = z.object({
  page: z.number().int(),
  box: PageBox,
  ticked: z.boolean(),
  confidence: z.number().min(0).max(1),
});
export type PageTick = z.infer<typeof PageTick>;

export const ScanPage = z.object({
  /** 1-based page of the scanned copy (all its files together). */
  page: z.number().int(),
  /** Clockwise degrees the page was turned to read it upright. */
  rotation: z.number().int(),
  /** In reading order: top to bottom. */
  items: z.array(PageItem),
  ticks: z.array(PageTick),
});
export type ScanPage = z.infer<typeof ScanPage>;
