import type { DecisionReason, PageBox } from "@intake/schema";
import type { OcrWord } from "./ocr-pool.js";
import { findSignatureLabel } from "./ocr-text.js";
import { cropJpeg, type Box, type Raster } from "./raster.js";
import { isGreyPage } from "./seal.js";
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
}

/** What was left unread of the copy, when something was: the reason any absence there is undecided. */
export type Incomplete = Extract<DecisionReason, "budget-spent" | "page-not-read" | "undecodable"> | null;

/** A raster box as fractions of the page. */
export function pageBox(r: Raster, b: Box): PageBox {
  const f = (v: number, n: number) => Math.round(Math.min(1, Math.max(0, v / n)) * 1000) / 1000;
  return { x0: f(b.x0, r.width), y0: f(b.y0, r.height), x1: f(b.x1, r.width), y1: f(b.y1, r.height) };
}

/** Where the signature label is on the page, in raster pixels. */
export function signatureLabel(page: DecidablePage): { box: Box; lineHeight: number } | null {
  const hit = findSignatureLabel(page.words);
  if (!hit) return null;
  const s = page.scale;
  return { box: { x0: hit.box.x0 / s, y0: hit.box.y0 / s, x1: hit.box.x1 / s, y1: hit.box.y1 / s }, lineHeight: hit.lineHeight / s };
}

/**
 * The head's signature beside 申报单位负责人（签字）. Found or not found only
 * when the label was located and the space beside it lies on the page;
 * otherwise undecided, with the reason.
 */
export async function decideSignature(signoff: DecidablePage | null, incomplete: Incomplete): Promise<ScanDecision> {
  if (!signoff) return { outcome: "undecided", confidence: 0, reason: incomplete ?? "region-not-located", detail: "sign-off page not located" };
  if (!signoff.raster) return { outcome: "undecided", confidence: 0, reason: "undecodable", detail: "sign-off page has a text layer but no image", evidence: { page: signoff.number } };
  const label = signatureLabel(signoff);
  if (!label) {
    return { outcome: "undecided", confidence: 0, reason: "region-not-located", detail: "signature label not located", evidence: { page: signoff.number, rotation: signoff.rotation } };
  }
  const r = signoff.raster;
  const ev = findSignature(r, label.box, label.lineHeight, { grey: isGreyPage(r) });
  const region = pageBox(r, ev.region);
  if (ev.region.x1 - ev.region.x0 < 4 || ev.region.y1 - ev.region.y0 < 4) {
    return { outcome: "undecided", confidence: 0, reason: "region-not-located", detail: "no room beside the label", evidence: { page: signoff.number, rotation: signoff.rotation } };
  }
  const crop = await cropJpeg(r, ev.region);
  return {
    outcome: ev.found ? "found" : "not-found",
    confidence: ev.confidence,
    reason: "read-in-full",
    evidence: { page: signoff.number, box: region, searched: [region], rotation: signoff.rotation, ...(crop ? { crop } : {}) },
  };
}

/**
 * The unit's seal: searched on the sign-off page when it was located, else on
 * every page read. Not found only when those pages were all read; a copy
 * left partly unread leaves the seal undecided.
 */
export async function decideSeal(signoff: DecidablePage | null, read: DecidablePage[], incomplete: Incomplete): Promise<ScanDecision> {
  const pages = (signoff ? [signoff] : read).filter((p) => p.raster);
  let best: { page: DecidablePage; box: Box; score: number } | null = null;
  for (const p of pages) {
    const c = (await searchSeals(p.raster!))[0];
    if (c && (!best || c.score > best.score)) best = { page: p, score: c.score, box: c.box };
  }
  if (best) {
    const r = best.page.raster!;
    const pad = (best.box.x1 - best.box.x0) * 0.1;
    const box = { x0: best.box.x0 - pad, y0: best.box.y0 - pad, x1: best.box.x1 + pad, y1: best.box.y1 + pad };
    const crop = await cropJpeg(r, box, 240);
    return {
      outcome: "found",
      confidence: Math.round((0.6 + 0.4 * best.score) * 100) / 100,
      reason: "read-in-full",
      evidence: { page: best.page.number, box: pageBox(r, best.box), rotation: best.page.rotation, ...(crop ? { crop } : {}) },
    };
  }
  if (!pages.length) return { outcome: "undecided", confidence: 0, reason: incomplete ?? "undecodable", detail: "no page image to search" };
  if (!signoff && incomplete) return { outcome: "undecided", confidence: 0, reason: incomplete, detail: "not every page was read" };
  // Nothing round and seal-like on the pages searched: show the reviewer where it was looked for.
  const where = signoff ?? pages[pages.length - 1]!;
  const r = where.raster!;
  const region = sealRegion(where);
  const crop = await cropJpeg(r, region, 420);
  return {
    outcome: "not-found",
    confidence: signoff ? 0.85 : 0.8,
    reason: "read-in-full",
    evidence: { page: where.number, searched: pages.map((p) => pageBox(p.raster!, { x0: 0, y0: 0, x1: p.raster!.width, y1: p.raster!.height })), box: pageBox(r, region), rotation: where.rotation, ...(crop ? { crop } : {}) },
  };
}

/** Where a seal belongs on the sign-off page: around and below the signature label; else the lower half. */
function sealRegion(page: DecidablePage): Box {
  const r = page.raster!;
  const label = signatureLabel(page);
  if (!label) return { x0: 0, y0: r.height * 0.45, x1: r.width, y1: r.height };
  const lh = label.lineHeight;
  return { x0: r.width * 0.25, y0: Math.max(0, label.box.y0 - lh * 6), x1: r.width, y1: Math.min(r.height, label.box.y1 + lh * 14) };
}
