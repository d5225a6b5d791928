import { isIntakeError, uniqueFlags, type Flag, type ScanPage } from "@intake/schema";
import sharp from "sharp";
import { decideSeal, decideSignature, signatureLabel, type DecidablePage, type Incomplete } from "./decide.js";
import { estimateSkew } from "./deskew.js";
import { BudgetSpent, budgetedOcr } from "./ocr-budget.js";
import type { OcrWord } from "./ocr-pool.js";
import { cjkConfidence, coverScore, joinCjk, parseSignedDate, signoffScore } from "./ocr-text.js";
import { lineAxis, readsUpright } from "./orient.js";
import { fromBilevel } from "./bilevel.js";
import { listPages, type PageRef } from "./page-source.js";
import { decodeRaster, ocrJpeg, rotateRaster, shrinkRaster, type Box, type Raster } from "./raster.js";
import { flattenPhoto } from "./flatten.js";
import { formPageOf, pageModelText, readPageLines } from "./read-form-page.js";
import { DEFAULT_LIMITS, type InspectOptions, type ScanFile, type ScanLimits, type ScanResult, type UnreadPage } from "./types.js";
import type { Logger } from "pino";

interface PageWork extends DecidablePage {
  text: string;
  /** The page as structured data (only with opts.fullText). */
  model?: ScanPage;
  /** Full-text mode: whether PP-OCR read the page upright, could tell at all, how surely, and which way its lines ran before. */
  upright?: boolean;
  told?: boolean;
  sure?: number;
  axis?: Axis;
  /** Full-text mode: tesseract's reading, once the decisions needed it. */
  tesseract?: OcrReading;
}

type Axis = ReturnType<typeof lineAxis>["axis"];

type Want = "signoff" | "cover" | "any";

interface OcrReading {
  text: string;
  words: OcrWord[];
  /** OCR-image pixels per raster pixel. */
  scale: number;
}

/** Which reason wins when several pages were left unread: the one a reviewer most needs to know. */
const UNREAD_ORDER: UnreadPage["reason"][] = ["undecodable", "budget-spent", "page-not-read"];

/**
 * Inspects a scanned copy (one PDF, or several page images): sign-off page,
 * signature, seal, date and cover text. Each decision is found, not found or
 * undecided: what a bound or a failure left unread is never taken for absent.
 */
export async function inspectScan(files: ScanFile[], opts: InspectOptions): Promise<ScanResult> {
  const started = performance.now();
  // libvips keeps up to 50 MB of finished operations for reuse; each page is decoded once, so that is only held memory.
  sharp.cache(false);
  const log = opts.logger?.child({ component: "scan" });
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (limits.ocrMegapixels <= 0) return nothingRead();
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
  const list = await time("open", () => listPages(files, limits, flags, log));
  try {
    return await inspectPages(list.pages, { opts, limits, flags, log, time, timings, started });
  } finally {
    await list.close();
  }
}

/** A copy its email's or sender's budget left nothing for: not opened, nothing decided. */
function nothingRead(): ScanResult {
  const spent = { outcome: "undecided" as const, confidence: 0, reason: "budget-spent" as const, detail: "the email's or sender's OCR budget left nothing for this copy" };
  return { readable: false, pages: 0, pagesRead: 0, unread: [], signature: spent, seal: { ...spent }, signedDate: null, cover: null, formPages: null, flags: [], ocrMegapixels: 0, timings: {} };
}

/** Our own failures (the OCR engine, a PDF process that would not start): retried, never the file's fault. */
const ours = (e: unknown): boolean => isIntakeError(e) && (e.code.startsWith("OCR_") || e.code === "PDF_WORKER_FAILED");

interface InspectContext {
  opts: InspectOptions;
  limits: ScanLimits;
  flags: Flag[];
  log: Logger | undefined;
  time: <T>(stage: string, f: () => Promise<T>) => Promise<T>;
  timings: Record<string, number>;
  started: number;
}

async function inspectPages(refs: PageRef[], ctx: InspectContext): Promise<ScanResult> {
  const { opts, limits, flags, log, time, timings, started } = ctx;
  const ocr = budgetedOcr(opts.ocr, limits.ocrMegapixels);
  const cache = new Map<number, PageWork>();
  const unread = new Map<number, UnreadPage["reason"]>();
  const full = () => cache.size >= limits.pages;

  const readPage = async (ref: PageRef, want: Want): Promise<PageWork | null> => {
    const known = cache.get(ref.number);
    if (known) return known;
    if (unread.has(ref.number)) return null;
    if (full()) return null;
    if (ocr.spent()) {
      unread.set(ref.number, "budget-spent");
      return null;
    }
    try {
      const work = await loadPage(ref, want);
      if (work) cache.set(ref.number, work);
      else unread.set(ref.number, "undecodable");
      return work;
    } catch (e) {
      if (e instanceof BudgetSpent) {
        unread.set(ref.number, "budget-spent");
        return null;
      }
      // An OCR engine that failed or could not start is no fault of the file: the job is retried.
      if (ours(e)) throw e;
      log?.info({ page: ref.number, file: ref.file.name, reason: (e as Error).message?.slice(0, 200) }, "page could not be decoded");
      unread.set(ref.number, "undecodable");
      return null;
    }
  };

  const loadPage = async (ref: PageRef, want: Want): Promise<PageWork | null> => {
    let img = await time("decode", () => ref.image());
    if (!img) {
      if (!ref.hasText || !ref.text || !ref.render) return null;
      const layer = await time("textLayer", () => ref.text!());
      if (!layer.garbled && layer.text.trim()) return { number: ref.number, raster: null, text: joinCjk(layer.text), words: [], scale: 1, rotation: 0 };
      // A text layer of mojibake or of nothing: read what the page shows instead.
      log?.info({ page: ref.number, file: ref.file.name, garbled: layer.garbled }, "text layer unusable; reading the page by OCR");
      img = await time("render", () => ref.render!());
    }
    let raster = await time("decode", () => decodeRaster(img.bytes, { maxPixels: limits.megapixels * 1e6, raw: img.raw, rotate: img.rotate, page: img.page }));
    const bilevel = fromBilevel(raster, img.bits);
    // A phone photo of a form is flattened before its fields are read: page corners, perspective, light.
    if (opts.fullText) raster = await time("flatten", () => flattenPhoto(raster));
    // Upright before anything reads it: a quarter turn from the direction of the text lines, then the small skew.
    let rotation: PageWork["rotation"] = 0;
    const axis = await time("orient", async () => lineAxis(await shrinkRaster(raster, 1000)).axis);
    if (axis === "vertical") {
      raster = await time("orient", () => rotateRaster(raster, 90));
      rotation = 90;
    }
    const skew = await time("deskew", async () => estimateSkew(await shrinkRaster(raster, 900)));
    if (Math.abs(skew) >= 0.3) raster = await time("deskew", () => rotateRaster(raster, -skew));
    // Fields are read only in full-text mode, by the stronger engine, region by region; it also
    // settles which way up the page is. Tesseract's words, which the decisions are placed by, are
    // read later and only on the page the decisions need (the sign-off page).
    if (opts.fullText) {
      let lines = await time("regions", () => readPageLines(raster, ocr));
      // That engine reads a page turned the wrong way as unsure noise, however much text it finds:
      // its lines tell, and the page's cells and blanks are sought only the right way up.
      for (const angle of lines.upright ? [] : ([180, 90, 270] as const)) {
        const turned = await rotateRaster(raster, angle);
        const again = await time("regions", () => readPageLines(turned, ocr));
        if (again.sure <= lines.sure * 1.5) continue;
        raster = turned;
        rotation = ((rotation + angle) % 360) as PageWork["rotation"];
        lines = again;
        if (again.upright) break;
      }
      const read = await time("regions", () => formPageOf(lines, ref.number, rotation, ocr));
      const work: PageWork = { number: ref.number, raster, text: pageModelText(read.page), words: [], scale: 1, rotation, bilevel, model: read.page, upright: read.upright, told: lines.told, sure: read.sure, axis };
      // A page that engine read too little Chinese on to tell which way up it is (upside down it reads
      // as next to none) is read by tesseract, which turns it when it reads better turned; one it read
      // nothing on gets its text from tesseract (what finds the cover and the sign-off page).
      if (!work.text || !work.told) await readWords(work, want);
      log?.debug({ page: ref.number, want, skew, rotation: work.rotation, text: work.text.slice(0, 200) }, "page read");
      return work;
    }
    const seen = await readUpright(raster, rotation, axis, want, true);
    log?.debug({ page: ref.number, want, skew, rotation: seen.rotation, text: seen.best.text.slice(0, 200) }, "page read");
    return { number: ref.number, raster: seen.raster, text: seen.best.text, words: seen.best.words, scale: seen.best.scale, rotation: seen.rotation, bilevel };
  };

  /**
   * Tesseract's reading of a page, turned upright: one or two modes, and, when
   * `probe` and the page reads as noise, the turns that may make it read.
   */
  const readUpright = async (raster: Raster, rotation: PageWork["rotation"], axis: Axis, want: Want, probe: boolean) => {
    const score = (t: string) => (want === "cover" ? coverScore(t) : want === "signoff" ? signoffScore(t) : Math.max(coverScore(t), signoffScore(t)));
    // A sign-off page is mostly blank: sparse-text mode finds its few labels where
    // automatic layout analysis sometimes sees none; forms read best in automatic mode.
    const modes = want === "signoff" ? [11, 3] : [3, 11];
    const readBest = async (r: Raster, first?: OcrReading) => {
      let best = first ?? (await ocrPage(r, modes[0]!));
      // A page full of confident text (a content page) is read well enough in one mode.
      if (score(best.text) < 2 && (want !== "any" || cjkConfidence(best.words) < 15)) {
        const other = await ocrPage(r, modes[1]!);
        if (score(other.text) > score(best.text) || cjkConfidence(other.words) > cjkConfidence(best.words) * 2) best = other;
      }
      return best;
    };
    const first = await readBest(raster);
    let best = first;
    // Upside down (or, when the lines gave no direction, any way round) the page reads as noise:
    // sparse-text mode, which does not read sideways lines as tesseract's layout analysis does, tells.
    if (probe && score(best.text) < 2 && !readsUpright(best.words)) {
      for (const angle of axis === "unknown" ? ([180, 90, 270] as const) : ([180] as const)) {
        const turned = await time("orient", () => rotateRaster(raster, angle));
        const probed = await ocrPage(turned, 11);
        if (score(probed.text) >= 2 || cjkConfidence(probed.words) > Math.max(5, cjkConfidence(best.words) * 2)) {
          raster = turned;
          rotation = ((rotation + angle) % 360) as PageWork["rotation"];
          best = await readBest(turned, modes[0] === 11 ? probed : undefined);
          break;
        }
      }
    }
    return { raster, rotation, best, first };
  };

  /**
   * Tesseract's words on a page read in full (once): on the page as PP-OCR
   * turned it. Only a page PP-OCR could not read upright any way round (or
   * read too little on to tell) is probed by tesseract's turns; a turn found
   * there is read by PP-OCR again, so the page model and the words stay on
   * one raster.
   */
  const readWords = async (work: PageWork, want: Want): Promise<OcrReading | null> => {
    if (!work.raster) return null;
    if (work.tesseract) return work.tesseract;
    const seen = await readUpright(work.raster, work.rotation, work.axis ?? "unknown", want, !work.upright || !work.told);
    let best = seen.best;
    if (seen.rotation !== work.rotation) {
      const again = await time("regions", () => readPageLines(seen.raster, ocr));
      // The turn holds only when PP-OCR reads the page there at least as surely.
      if (again.sure >= (work.sure ?? 0)) {
        const read = await time("regions", () => formPageOf(again, work.number, seen.rotation, ocr));
        work.raster = seen.raster;
        work.rotation = seen.rotation;
        work.model = read.page;
        work.upright = read.upright;
        work.told = again.told;
        work.sure = read.sure;
        work.text = pageModelText(read.page);
      } else best = seen.first;
    }
    work.words = best.words;
    work.scale = best.scale;
    work.tesseract = best;
    if (!work.text) work.text = best.text;
    return best;
  };

  const ocrPage = (r: Raster, psm: number, size?: { maxSide: number; enlarge: boolean }): Promise<OcrReading> =>
    time("ocr", async () => {
      const { jpeg, scale } = await ocrJpeg(r, size);
      const o = await ocr.recognize(jpeg, { psm });
      return { text: joinCjk(o.text), words: (o.words ?? []) as OcrWord[], scale };
    });

  // Cover first, then the sign-off page from the back (it is usually the last).
  const total = refs.length;
  let cover: PageWork | null = null;
  let signoff: PageWork | null = null;
  /** Full-text mode: tesseract's words on a page were left unread by the budget. */
  let wordsUnread = false;
  if (total > 0) {
    if (opts.fullText) {
      const plan = total <= limits.pages ? refs : [...refs.slice(0, Math.max(1, limits.pages - 2)), ...refs.slice(-2)];
      for (const ref of plan) await readPage(ref, "any");
      cover = cache.get(1) ?? null;
      const back = plan.map((r) => cache.get(r.number)).filter((p): p is PageWork => !!p).reverse();
      signoff = back.find((p) => signoffScore(p.text) >= 2) ?? null;
      // Only the sign-off page's words are looked at. Without one in PP-OCR's text,
      // tesseract reads the pages from the back: a sign-off page PP-OCR misread is still found.
      // The budget spent before those words were read leaves the sign-off page unknown, not absent.
      const words = (p: PageWork) =>
        readWords(p, "any").catch((e: unknown) => {
          if (!(e instanceof BudgetSpent)) throw e;
          wordsUnread = true;
          return null;
        });
      if (signoff) {
        await words(signoff);
        if (wordsUnread) signoff = null;
      } else
        for (const [i, p] of back.entries()) {
          const t = await words(p);
          if (signoffScore(p.text) >= 2 || (t && signoffScore(t.text) >= 2)) {
            signoff = p;
            break;
          }
          if (wordsUnread || (ocr.spent() && i < back.length - 1)) {
            wordsUnread = true;
            break;
          }
        }
    } else {
      cover = await readPage(refs[0]!, total === 1 ? "any" : "cover");
      if (cover && signoffScore(cover.text) >= 2 && total === 1) signoff = cover;
      for (let i = total - 1; i >= 1 && !signoff; i--) {
        const p = await readPage(refs[i]!, "signoff");
        if (p && signoffScore(p.text) >= 2) signoff = p;
        if (full() || ocr.spent()) break;
      }
      if (!signoff && cover && signoffScore(cover.text) >= 2) signoff = cover;
    }
  }
  // Pages never reached (the page cap, the budget) were not read either.
  for (const ref of refs) if (!cache.has(ref.number) && !unread.has(ref.number)) unread.set(ref.number, ocr.spent() ? "budget-spent" : "page-not-read");
  const incomplete: Incomplete = UNREAD_ORDER.find((r) => [...unread.values()].includes(r)) ?? (wordsUnread ? "budget-spent" : null);
  const read = [...cache.values()];
  if (unread.size) log?.info({ pages: total, unread: Object.fromEntries(unread), ocrMegapixels: Math.round(ocr.used()) }, "scanned copy not read in full");

  // A signature label missed at the usual size (small or soft text of a photo) is often read enlarged.
  if (signoff?.raster && !signatureLabel(signoff)) {
    const again = await ocrPage(signoff.raster, 11, { maxSide: 2800, enlarge: true }).catch((e: unknown) => {
      if (e instanceof BudgetSpent) return null;
      throw e;
    });
    if (again && signatureLabel({ ...signoff, words: again.words, scale: again.scale })) signoff = { ...signoff, words: again.words, scale: again.scale };
  }
  const { decision: seal, finding } = await time("seal", () => decideSeal(signoff, read, incomplete));
  const signature = await time("signature", () => decideSignature(signoff, incomplete, finding));
  const signedDate = await time("date", () =>
    readDate(signoff, ocr).catch((e: unknown) => {
      if (ours(e)) throw e;
      if (!(e instanceof BudgetSpent)) log?.info({ reason: (e as Error).message?.slice(0, 200) }, "signed date could not be read");
      return null;
    }),
  );

  const formPages = opts.fullText ? refs.flatMap((r) => cache.get(r.number)?.model ?? []) : null;
  timings.total = Math.round(performance.now() - started);
  const result: ScanResult = {
    readable: read.length > 0,
    pages: total,
    pagesRead: cache.size,
    unread: [...unread].map(([page, reason]) => ({ page, reason })).sort((a, b) => a.page - b.page),
    signature,
    seal,
    signedDate,
    cover: cover && cover.text ? { text: cover.text, page: cover.number } : null,
    formPages,
    flags: uniqueFlags(flags),
    ocrMegapixels: Math.round(ocr.used() * 10) / 10,
    timings,
  };
  log?.debug({ pages: total, pagesRead: cache.size, signoff: signoff?.number, signature: signature.outcome, seal: seal.outcome, ocrMegapixels: Math.round(ocr.used()), timings }, "scan inspected");
  return result;
}

/**
 * The date under the seal: an OCR of the space below the label, red ink
 * washed out and enlarged (the digits are small and written apart from
 * 年 月 日); else whatever date the page's text holds.
 */
async function readDate(page: PageWork | null, ocr: { recognize: InspectOptions["ocr"]["recognize"] }): Promise<string | null> {
  if (!page) return null;
  const fromText = () => parseSignedDate(page.text.replace(/\n/g, " "));
  const label = signatureLabel(page)?.box;
  if (!page.raster || !label) return fromText();
  const r = page.raster;
  const lh = label.y1 - label.y0;
  const top = Math.round(Math.min(r.height - 2, label.y1 + lh));
  const box = { x0: r.width * 0.3, y0: top, x1: r.width * 0.95, y1: Math.min(r.height, top + lh * 10) };
  const crop = await dateCrop(r, box);
  if (!crop) return fromText();
  const o = await ocr.recognize(crop, { psm: 6 });
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
