import sharp from "sharp";
import type { ScanFile } from "@intake/scan";
import { listPages, type PageList } from "@intake/scan/pages";

export interface RenderPagesOptions {
  /** Longest side of a page image, px; default 1600 (zoom 3× on a phone still reads). */
  maxSide?: number;
  /** Pages rendered at most; default 50. */
  maxPages?: number;
  /** Clockwise turn per page (1-based) the machine read it at, so the picture matches its boxes. */
  rotations?: Record<number, number>;
  /** Largest file and image taken, as the scan takes them. */
  fileBytes?: number;
  megapixels?: number;
}

/**
 * The scanned copy's pages as upright JPEGs, in the scan's own page order
 * (all its files together), through the scan's page reader: the same pages
 * its boxes were drawn on. A page without a picture (a text-only PDF page,
 * a codec we lack) is null. No OCR is loaded.
 */
export async function renderScanPages(files: ScanFile[], o: RenderPagesOptions = {}): Promise<(Buffer | null)[]> {
  sharp.cache(false);
  const maxSide = o.maxSide ?? 1600;
  const megapixels = o.megapixels ?? 100;
  const list = await listPages(files, { pages: o.maxPages ?? 50, megapixels, ocrMegapixels: 0, fileBytes: o.fileBytes ?? 50 * 1024 * 1024 }, []);
  const refs = list.pages.slice(0, o.maxPages ?? 50);
  const out: (Buffer | null)[] = new Array(refs.length).fill(null);
  try {
    // Two pages at a time: sharp's work runs off this thread, and two full-size pages bound the memory.
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < refs.length; i = next++) out[i] = await renderPage(refs[i]!, maxSide, megapixels, o.rotations?.[refs[i]!.number] ?? 0);
    };
    await Promise.all([lane(), lane()]);
  } finally {
    await list.close();
  }
  return out;
}

async function renderPage(ref: PageList["pages"][number], maxSide: number, megapixels: number, extra: number): Promise<Buffer | null> {
  {
    try {
      // A PDF page of text only has no picture: pdf.js draws it, as the scan does before reading it.
      const img = (await ref.image()) ?? (ref.render ? await ref.render() : null);
      if (!img) return null;
      const base = img.raw
        ? sharp(img.bytes, { raw: img.raw, limitInputPixels: megapixels * 1e6 })
        : sharp(img.bytes, { limitInputPixels: megapixels * 1e6, page: img.page ?? 0, failOn: "none" });
      // A PDF page's /Rotate, else the photo's EXIF orientation; then the turn the machine found.
      const upright = img.rotate ? base.rotate(img.rotate) : img.raw ? base : base.autoOrient();
      let pipeline = upright.resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true });
      if (extra) pipeline = sharp(await pipeline.toBuffer()).rotate(extra);
      return await pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 72, mozjpeg: false }).toBuffer();
    } catch {
      return null;
    }
  }
}
