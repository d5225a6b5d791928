import type { DecisionReason, PageBox } from "@intake/schema";
import type { OcrWord } from "./ocr-pool.js";
import { findSignatureLabel, textLineHeight } from "./ocr-text.js";
import { cropJpeg, type Box, type Raster } from "./raster.js";
import { isGreyPage, type SealCandidate } from "./seal.js";
import { searchSeals } from "./seal-search.js";
import { findSignature } from "./signature.js";
import type { ScanDecision } from "./types.js";

/** A page as the decisions see it: upright, with its OCR words. */
export interface DecidablePage {
  number: number;
  /** Upright, deskewed page; null for a page with only a text layer. */
  raster: Raster | null;
  words: OcrWord[];
  /** OCR-image pixels per raster pixel. */
  scale: number;
  /** Clockwise quarter turns applied to read it upright. */
  rotation: 0 | 90 | 180 | 270;
  /** Scanned in black and white only (1 bit): a light red seal may have dropped out altogether. */
  bilevel?: boolean;
}

/** What was left unread of the copy, when something was: the reason any absence there is undecided. */
export type Incomplete = Extract<DecisionReason, "budget-spent" | "page-not-read" | "undecodable"> | null;

/** A raster box as fractions of the page. */
export function pageBox(r: Raster, b: Box): PageBox {
  const f = (v: number, n: number) => Math.round(Math.min(1, Math.max(0, v / n)) * 1000) / 1000;
  return { x0: f(b.x0, r.width), y0: f(b.y0, r.height), x1: f(b.x1, r.width), y1: f(b.y1, r.height) };
}

/** Median height of the Chinese characters read with confidence, OCR image pixels (0 when none). */
function charHeight(words: OcrWord[]): number {
  const hs: number[] = [];
  for (const w of words) {
    if (w.confidence < 60) continue;
    for (const c of w.symbols ?? []) if (/[\u3400-\u9fff]/.test(c.text)) hs.push(c.bbox.y1 - c.bbox.y0);
  }
  if (hs.length < 3) return 0;
  hs.sort((a, b) => a - b);
  return hs[hs.length >> 1]!;
}

/** Where the signature label is on the page, in raster pixels. */
export function signatureLabel(page: DecidablePage): { box: Box; lineHeight: number } | null {
  const hit = findSignatureLabel(page.words);
  if (!hit) return null;
  const s = page.scale;
  // The label line's tallest word may have taken in the signature beside it: the page's usual text height is surer.
  const usual = charHeight(page.words) || textLineHeight(page.words);
  const lineHeight = usual >= 6 ? Math.min(usual, hit.lineHeight) : hit.lineHeight;
  return { box: { x0: hit.box.x0 / s, y0: hit.box.y0 / s, x1: hit.box.x1 / s, y1: hit.box.y1 / s }, lineHeight: lineHeight / s };
}

/**
 * The head's signature beside 申报单位负责人（签字）. Found or not found only
 * when the label was located and the space beside it lies on the page;
 * otherwise undecided, with the reason. `seal` is the seal decision of the
 * same copy: on a grey page the seal's ink is no writing.
 */
export async function decideSignature(signoff: DecidablePage | null, incomplete: Incomplete, seal?: SealFinding | null): Promise<ScanDecision> {
  if (!signoff) return { outcome: "undecided", confidence: 0, reason: incomplete ?? "region-not-located", detail: "sign-off page not located" };
  if (!signoff.raster) return { outcome: "undecided", confidence: 0, reason: "undecodable", detail: "sign-off page has a text layer but no image", evidence: { page: signoff.number } };
  const label = signatureLabel(signoff);
  if (!label) {
    return { outcome: "undecided", confidence: 0, reason: "region-not-located", detail: "signature label not located", evidence: { page: signoff.number, rotation: signoff.rotation } };
  }
  const r = signoff.raster;
  const seals = seal?.page === signoff.number ? seal.boxes : [];
  const ev = findSignature(r, label.box, label.lineHeight, { grey: isGreyPage(r), seals });
  const region = pageBox(r, ev.region);
  if (ev.region.x1 - ev.region.x0 < 4 || ev.region.y1 - ev.region.y0 < 4) {
    return { outcome: "undecided", confidence: 0, reason: "region-not-located", detail: "no room beside the label", evidence: { page: signoff.number, rotation: signoff.rotation } };
  }
  const crop = await cropJpeg(r, ev.region);
  return {
    outcome: ev.found ? "found" : "not-found",
    confidence: ev.confidence,
    reason: "read-in-full",
    detail: `ink ${(ev.ink * 100).toFixed(2)}%${ev.hidden ? `, ${Math.round(ev.hidden * 100)}% under the seal` : ""}`,
    evidence: { page: signoff.number, box: region, searched: [region], rotation: signoff.rotation, ...(crop ? { crop } : {}) },
  };
}

/** Where the seal decision found seals (raster pixels of that page), for the signature beside them. */
export interface SealFinding {
  page: number;
  boxes: Box[];
}

/**
 * The unit's seal: searched on the sign-off page when it was located, else on
 * every page read. Not found only when those pages were all read and nothing
 * round there came close to a seal; a copy left partly unread leaves it
 * undecided.
 *
 * How sure: a red seal is told by its colour and its ring; a seal on a grey
 * or 1-bit page is ink like the text, and so counts as found with confidence
 * only where a seal belongs (by the sign-off labels, of the size the labels'
 * text implies): a logo or a heavy character elsewhere is no seal.
 */
export async function decideSeal(signoff: DecidablePage | null, read: DecidablePage[], incomplete: Incomplete): Promise<{ decision: ScanDecision; finding: SealFinding | null }> {
  const pages = (signoff ? [signoff] : read).filter((p) => p.raster);
  let best: { page: DecidablePage; c: SealCandidate; confidence: number; all: SealCandidate[] } | null = null;
  let nearMiss = false;
  for (const p of pages) {
    const cands = await searchSeals(p.raster!, { rings: true });
    const place = p === signoff ? sealPlace(p) : null;
    for (const c of cands) {
      if (!c.seal) {
        // Something round where the seal belongs that is not quite one: "no seal" would be a guess.
        if (!place || inPlace(c.box, place)) nearMiss = true;
        continue;
      }
      const confidence = sealConfidence(c, place);
      if (!best || confidence > best.confidence) best = { page: p, c, confidence, all: cands.filter((x) => x.seal) };
    }
  }
  if (best) {
    const r = best.page.raster!;
    const b = best.c.box;
    const pad = (b.x1 - b.x0) * 0.1;
    const crop = await cropJpeg(r, { x0: b.x0 - pad, y0: b.y0 - pad, x1: b.x1 + pad, y1: b.y1 + pad }, 240);
    return {
      decision: {
        outcome: "found",
        confidence: best.confidence,
        reason: "read-in-full",
        detail: `${best.c.colour} ${best.c.aspect > 1 ? "oval" : "round"} ring, ${Math.round(best.c.coverage * 100)}% closed`,
        evidence: { page: best.page.number, box: pageBox(r, b), rotation: best.page.rotation, ...(crop ? { crop } : {}) },
      },
      finding: { page: best.page.number, boxes: best.all.map((c) => c.box) },
    };
  }
  const none = (d: ScanDecision) => ({ decision: d, finding: null });
  if (!pages.length) return none({ outcome: "undecided", confidence: 0, reason: incomplete ?? "undecodable", detail: "no page image to search" });
  if (!signoff && incomplete) return none({ outcome: "undecided", confidence: 0, reason: incomplete, detail: "not every page was read" });
  // Nothing round and seal-like on the pages searched: show the reviewer where it was looked for.
  const where = signoff ?? pages[pages.length - 1]!;
  const r = where.raster!;
  const region = sealRegion(where);
  const crop = await cropJpeg(r, region, 420);
  // A grey page's seal is harder to see than a red one; without the sign-off page the seal's place is unknown.
  // A 1-bit scanner's threshold may have dropped a light red seal without a trace.
  let confidence = !signoff ? 0.7 : where.bilevel ? 0.6 : isGreyPage(r) ? 0.85 : 0.95;
  if (nearMiss) confidence = Math.min(confidence, 0.5);
  return none({
    outcome: "not-found",
    confidence,
    reason: "read-in-full",
    ...(nearMiss ? { detail: "a round mark that is not clearly a seal" } : {}),
    evidence: { page: where.number, searched: pages.map((p) => pageBox(p.raster!, { x0: 0, y0: 0, x1: p.raster!.width, y1: p.raster!.height })), box: pageBox(r, region), rotation: where.rotation, ...(crop ? { crop } : {}) },
  });
}

/** Where a seal belongs on the sign-off page and how big it is there, from the labels' text. */
interface SealPlace {
  region: Box;
  /** A text line's height, raster pixels: an official seal is 38–45 mm across, about 10 lines of 4 mm text. */
  lineHeight: number;
}

function sealPlace(page: DecidablePage): SealPlace | null {
  const label = signatureLabel(page);
  return label ? { region: sealRegion(page), lineHeight: label.lineHeight } : null;
}

function inPlace(b: Box, place: SealPlace): boolean {
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  return cx >= place.region.x0 && cx <= place.region.x1 && cy >= place.region.y0 && cy <= place.region.y1;
}

/**
 * How sure a seal candidate is a seal. Red: the ring's own score. Dark (grey,
 * 1-bit): sure only in the seal's place and at a seal's size for the page's
 * text, else too unsure to count (a logo, a stamp-like emblem).
 */
function sealConfidence(c: SealCandidate, place: SealPlace | null): number {
  const d = c.box.x1 - c.box.x0;
  const fits = place ? inPlace(c.box, place) && d >= place.lineHeight * 4 && d <= place.lineHeight * 20 : false;
  const base = c.colour === "red" ? 0.8 + 0.15 * c.score : fits ? 0.75 + 0.2 * c.score : 0.5;
  return Math.round(Math.min(0.99, base + (fits && c.colour === "red" ? 0.04 : 0)) * 100) / 100;
}

/** Where a seal belongs on the sign-off page: around and below the signature label; else the lower half. */
function sealRegion(page: DecidablePage): Box {
  const r = page.raster!;
  const label = signatureLabel(page);
  if (!label) return { x0: 0, y0: r.height * 0.45, x1: r.width, y1: r.height };
  const lh = label.lineHeight;
  return { x0: r.width * 0.25, y0: Math.max(0, label.box.y0 - lh * 6), x1: r.width, y1: Math.min(r.height, label.box.y1 + lh * 14) };
}
