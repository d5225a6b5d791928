import sharp from "sharp";
import type { OcrPool, OcrRequest } from "./ocr-pool.js";

/** Thrown by a budgeted pool once the copy's OCR work is spent; the page being read is left undecided. */
export class BudgetSpent extends Error {
  constructor() {
    super("OCR work budget spent");
    this.name = "BudgetSpent";
  }
}

export interface BudgetedOcr {
  recognize: OcrPool["recognize"];
  readLines: OcrPool["readLines"];
  /** Megapixels of OCR input used so far. */
  used(): number;
  spent(): boolean;
}

/**
 * The copy's OCR work, counted in megapixels handed to the engine (or the
 * rectangle's, when one is given): the same count on an idle or a loaded
 * machine, so a budget never turns load into a judgment.
 */
export function budgetedOcr(pool: OcrPool, megapixels: number): BudgetedOcr {
  let used = 0;
  return {
    async recognize(image: Buffer, req: OcrRequest = {}) {
      if (used >= megapixels) throw new BudgetSpent();
      used += await cost(image, req);
      return pool.recognize(image, req);
    },
    async readLines(img, req = {}) {
      if (used >= megapixels) throw new BudgetSpent();
      // Detection sees the whole image; recognition only the boxes' pixels.
      used += req.boxes ? req.boxes.reduce((n, b) => n + (b.x1 - b.x0) * (b.y1 - b.y0), 0) / 1e6 : (img.width * img.height) / 1e6;
      return pool.readLines(img, req);
    },
    used: () => used,
    spent: () => used >= megapixels,
  };
}

async function cost(image: Buffer, req: OcrRequest): Promise<number> {
  if (req.rectangle) return (req.rectangle.width * req.rectangle.height) / 1e6;
  const m = await sharp(image).metadata();
  return ((m.width ?? 0) * (m.height ?? 0)) / 1e6;
}
