import { isIntakeError, uniqueFlags, type Flag } from "@intake/schema";
import sharp from "sharp";
import { estimateSkew } from "./deskew.js";
import type { OcrWord } from "./ocr-pool.js";
import { cjkConfidence, coverScore, findSignatureLabel, joinCjk, parseSignedDate, signoffScore, textLineHeight } from "./ocr-text.js";
import { listPages, type PageRef } from "./page-source.js";
import { pdfTextLayer } from "./pdf-text.js";
import { cropJpeg, decodeRaster, ocrJpeg, rotateRaster, shrinkRaster, type Box, type Raster } from "./raster.js";
import { searchSeals } from "./seal-search.js";
import { isGreyPage } from "./seal.js";
import { findSignature } from "./signature.js";
import { readFormPage } from "./form-text.js";
import { DEFAULT_LIMITS, type Decision, type InspectOptions, type ScanFile, type ScanResult } from "./types.js";

interface PageWork {
  number: number;
  /** Upright, deskewed page; null for a page with only a text layer. */
  raster: Raster | null;
  text: string;
  /** OCR words in OCR-image pixels (raster pixels × scale). */
  words: OcrWord[];
  scale: number;
}

type Want = "signoff" | "cover" | "any";

/** Inspects a scanned copy (one PDF, or several page images): sign-off page, signature, seal, date and cover text. */
export async function inspectScan(files: ScanFile[], opts: InspectOptions): Promise<ScanResult> {
  const started = performance.now();
  // libvips keeps up to 50 MB of finished operations for reuse; each page is decoded once, so that is only held memory.
  sharp.cache(false);
  const log = opts.logger?.child({ component: "scan" });
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const timings: Record<string, number> = {};
  const time = async <T>(stage: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timings[stage] = Math.round((timings[stage] ?? 0) + performance.now() - t);
    }
  };
  const flags: Flag[] = [];
  const refs = await time("open", () => listPages(files, limits, flags));
  const deadline = started + limits.timeMs;
  const cache = new Map<number, PageWork | null>();

  const readPage = async (ref: PageRef, want: Want): Promise<PageWork | null> => {
    if (cache.has(ref.number)) return cache.get(ref.number)!;
    if (cache.size >= limits.pages || performance.now() > deadline) return null;
    let work: PageWork | null = null;
    try {
      work = await loadPage(ref, want);
    } catch (e) {
      // No OCR engine is no fault of the file: let the job be retried.
      if (isIntakeError(e, "OCR_UNAVAILABLE")) throw e;
      log?.warn({ err: e, page: ref.number, file: ref.file.name }, "page could not be read");
      flags.push({ code: "unreadable-attachment", file: ref.file.name, detail: `page ${ref.number} cannot be read` });
    }
    cache.set(ref.number, work);
    return work;
  };

  const loadPage = async (ref: PageRef, want: Want): Promise<PageWork | null> => {
    const img = ref.image();
    if (!img) {
      if (!ref.hasText || ref.pdfIndex === undefined) return null;
      const pageNo = ref.pdfIndex + 1;
      const text = await time("textLayer", () => pdfTextLayer(ref.file.content, [pageNo]));
      return { number: ref.number, raster: null, text: joinCjk(text.get(pageNo) ?? ""), words: [], scale: 1 };
    }
    let raster = await time("decode", () => decodeRaster(img.bytes, { maxPixels: limits.megapixels * 1e6, raw: img.raw, rotate: img.rotate, page: img.page }));
    const skew = await time("deskew", async () => estimateSkew(await shrinkRaster(raster, 900)));
    if (Math.abs(skew) >= 0.3) raster = await time("deskew", () => rotateRaster(raster, -skew));
    const score = (t: string) => (want === "cover" ? coverScore(t) : want === "signoff" ? signoffScore(t) : Math.max(coverScore(t), signoffScore(t)));
    // A sign-off page is mostly blank: sparse-text mode finds its few labels where
    // automatic layout analysis sometimes sees none; forms read best in automatic mode.
    const modes = want === "signoff" ? [11, 3] : [3, 11];
    let best = await ocrPage(raster, modes[0]!);
    // A page full of confident text (a content page) is read well enough in one mode.
    if (score(best.text) < 2 && (want !== "any" || cjkConfidence(best.words) < 15)) {
      const other = await ocrPage(raster, modes[1]!);
      if (score(other.text) > score(best.text) || cjkConfidence(other.words) > cjkConfidence(best.words) * 2) best = other;
    }
    // Pages scanned sideways or upside down read as noise: try the other three ways round.
    if (score(best.text) < 2 && cjkConfidence(best.words) < 5) {
      let bestConf = cjkConfidence(best.words);
      for (const angle of [180, 90, 270]) {
        if (performance.now() > deadline) break;
        const turned = await rotateRaster(raster, angle);
        const o = await ocrPage(turned, 3);
        const conf = cjkConfidence(o.words);
        if (score(o.text) >= 2 || conf > Math.max(8, bestConf * 2)) {
          raster = turned;
          best = o;
          bestConf = conf;
          if (score(o.text) >= 2) break;
        }
      }
    }
    // Fields are read from the text only in full-text mode; a form reads far better region by region.
    const text = (opts.fullText && (await time("regions", () => readFormPage(raster, best, opts.ocr, textLineHeight(best.words) / best.scale)))) || best.text;
    log?.debug({ page: ref.number, want, skew, text: text.slice(0, 200) }, "page read");
    return { number: ref.number, raster, text, words: best.words, scale: best.scale };
  };

  const ocrPage = (r: Raster, psm: number) =>
    time("ocr", async () => {
      const { jpeg, scale } = await ocrJpeg(r);
      const o = await opts.ocr.recognize(jpeg, { psm });
      return { text: joinCjk(o.text), words: (o.words ?? []) as OcrWord[], scale };
    });

  // Cover first, then the sign-off page from the back (it is usually the last).
  const total = refs.length;
  let cover: PageWork | null = null;
  let signoff: PageWork | null = null;
  if (total > 0) {
    if (opts.fullText) {
      const plan = total <= limits.pages ? refs : [...refs.slice(0, Math.max(1, limits.pages - 2)), ...refs.slice(-2)];
      for (const ref of plan) await readPage(ref, "any");
      cover = cache.get(1) ?? null;
      for (const ref of [...plan].reverse()) {
        const p = cache.get(ref.number);
        if (p && signoffScore(p.text) >= 2) {
          signoff = p;
          break;
        }
      }
    } else {
      cover = await readPage(refs[0]!, total === 1 ? "any" : "cover");
      if (cover && signoffScore(cover.text) >= 2 && total === 1) signoff = cover;
      for (let i = total - 1; i >= 1 && !signoff; i--) {
        const p = await readPage(refs[i]!, "signoff");
        if (p && signoffScore(p.text) >= 2) signoff = p;
        if (cache.size >= limits.pages || performance.now() > deadline) break;
      }
      if (!signoff && cover && signoffScore(cover.text) >= 2) signoff = cover;
    }
  }
  const read = [...cache.values()].filter((p): p is PageWork => p !== null);
  if (performance.now() > deadline) log?.warn({ pagesRead: cache.size, limitMs: limits.timeMs }, "scan time budget used up");

  const seal = await time("seal", () => decideSeal(signoff ? [signoff] : read.filter((p) => p.raster)));
  const sig = await time("signature", () => decideSignature(signoff));
  const signedDate = await time("date", () =>
    readDate(signoff, opts, sig.label).catch((e: unknown) => {
      if (isIntakeError(e, "OCR_UNAVAILABLE")) throw e;
      log?.warn({ err: e }, "signed date could not be read");
      return null;
    }),
  );

  const fullText = opts.fullText ? refs.filter((r) => cache.get(r.number)).map((r) => cache.get(r.number)!.text).join("\f") : null;
  timings.total = Math.round(performance.now() - started);
  const result: ScanResult = {
    readable: read.length > 0,
    pages: total,
    pagesRead: cache.size,
    signature: sig.decision,
    seal,
    signedDate,
    cover: cover && cover.text ? { text: cover.text, page: cover.number } : null,
    fullText,
    flags: uniqueFlags(flags),
    timings,
  };
  log?.debug({ pages: total, pagesRead: cache.size, signoff: signoff?.number, signature: sig.decision.found, seal: seal.found, timings }, "scan inspected");
  return result;
}

async function decideSeal(pages: PageWork[]): Promise<Decision> {
  let best: { page: PageWork; box: Box; score: number } | null = null;
  for (const p of pages) {
    const c = (await searchSeals(p.raster!))[0];
    if (c && (!best || c.score > best.score)) best = { page: p, score: c.score, box: c.box };
  }
  if (!best) return { found: false, confidence: pages.length ? 0.85 : 0.3, page: pages.length === 1 ? pages[0]!.number : undefined };
  const pad = (best.box.x1 - best.box.x0) * 0.1;
  const crop = await cropJpeg(best.page.raster!, { x0: best.box.x0 - pad, y0: best.box.y0 - pad, x1: best.box.x1 + pad, y1: best.box.y1 + pad }, 240);
  return { found: true, confidence: Math.round((0.6 + 0.4 * best.score) * 100) / 100, page: best.page.number, crop };
}

async function decideSignature(page: PageWork | null): Promise<{ decision: Decision; label: Box | null }> {
  if (!page || !page.raster) return { decision: { found: false, confidence: 0.3 }, label: null };
  const hit = findSignatureLabel(page.words);
  if (!hit) return { decision: { found: false, confidence: 0.4, page: page.number }, label: null };
  const s = page.scale;
  const label: Box = { x0: hit.box.x0 / s, y0: hit.box.y0 / s, x1: hit.box.x1 / s, y1: hit.box.y1 / s };
  const ev = findSignature(page.raster, label, hit.lineHeight / s, { grey: isGreyPage(page.raster) });
  const crop = await cropJpeg(page.raster, ev.region);
  return { decision: { found: ev.found, confidence: ev.confidence, page: page.number, crop }, label };
}

/**
 * The date under the seal: an OCR of the space below the label, red ink
 * washed out and enlarged (the digits are small and written apart from
 * 年 月 日); else whatever date the page's text holds.
 */
async function readDate(page: PageWork | null, opts: InspectOptions, label: Box | null): Promise<string | null> {
  if (!page) return null;
  const fromText = () => parseSignedDate(page.text.replace(/\n/g, " "));
  if (!page.raster || !label) return fromText();
  const r = page.raster;
  const lh = label.y1 - label.y0;
  const top = Math.round(Math.min(r.height - 2, label.y1 + lh));
  const box = { x0: r.width * 0.3, y0: top, x1: r.width * 0.95, y1: Math.min(r.height, top + lh * 10) };
  const crop = await dateCrop(r, box);
  if (!crop) return fromText();
  const o = await opts.ocr.recognize(crop, { psm: 6 });
  return parseSignedDate(o.text.replace(/\n/g, " ")) ?? fromText();
}

async function dateCrop(r: Raster, box: Box): Promise<Buffer | null> {
  const left = Math.max(0, Math.floor(box.x0));
  const top = Math.max(0, Math.floor(box.y0));
  const width = Math.min(r.width, Math.ceil(box.x1)) - left;
  const height = Math.min(r.height, Math.ceil(box.y1)) - top;
  if (width < 8 || height < 8) return null;
  return sharp(washOutRed(r.data), { raw: { width: r.width, height: r.height, channels: 3 } })
    .extract({ left, top, width, height })
    .resize({ width: width * 2, height: height * 2, kernel: "lanczos3" })
    .greyscale()
    .jpeg({ quality: 90 })
    .toBuffer();
}

function washOutRed(d: Buffer): Buffer {
  const out = Buffer.from(d);
  for (let i = 0; i < out.length; i += 3) {
    const R = out[i]!;
    if (R - Math.max(out[i + 1]!, out[i + 2]!) > 25) out[i] = out[i + 1] = out[i + 2] = 255;
  }
  return out;
}
