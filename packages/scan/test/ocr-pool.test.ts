import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createOcrPool, inspectScan } from "../src/index.js";

/** A line of printed Chinese, rendered here so the test needs no file. */
async function line(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="90"><rect width="100%" height="100%" fill="white"/><text x="20" y="60" font-size="40" fill="black">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

describe("OCR pool", () => {
  it("keeps working across worker recycling and closes cleanly", async () => {
    const pool = await createOcrPool({ recycleAfter: 1 });
    try {
      const img = await line("2026 12345");
      const a = await pool.recognize(img, { psm: 7 });
      const b = await pool.recognize(img, { psm: 7 });
      expect(a.text).toMatch(/2026/);
      expect(b.text).toMatch(/2026/);
    } finally {
      await pool.close();
    }
    await expect(pool.recognize(Buffer.alloc(10))).rejects.toMatchObject({ code: "OCR_UNAVAILABLE" });
  });

  it("reads text lines with PP-OCR (detected, or in the boxes given) from the packaged model", async () => {
    const pool = await createOcrPool();
    try {
      const { data, info } = await sharp(await line("2026-01-10 12345")).greyscale().raw().toBuffer({ resolveWithObject: true });
      const img = { data, width: info.width, height: info.height };
      const lines = await pool.readLines(img);
      expect(lines.map((l) => l.text).join(" ")).toMatch(/2026-01-10\s*12345/);
      expect(lines[0]!.confidence).toBeGreaterThan(0.8);
      expect(lines[0]!.box.x0).toBeLessThan(60);
      const again = await pool.readLines(img, { boxes: [{ x0: 0, y0: 0, x1: 330, y1: 90 }] });
      expect(again).toHaveLength(1);
      expect(again[0]!.text).toMatch(/^2026-01-1/);
    } finally {
      await pool.close();
    }
    await expect(pool.readLines({ data: new Uint8Array(4), width: 2, height: 2 })).rejects.toMatchObject({ code: "OCR_UNAVAILABLE" });
  });

  it("reports OCR_UNAVAILABLE for PP-OCR when its model files are missing", async () => {
    const pool = await createOcrPool({ ppocr: { modelDir: path.join(os.tmpdir(), "no-such-model-dir") } });
    try {
      await expect(pool.readLines({ data: new Uint8Array(64 * 64).fill(255), width: 64, height: 64 })).rejects.toMatchObject({ code: "OCR_UNAVAILABLE", permanent: false });
    } finally {
      await pool.close();
    }
  });

  it("reports OCR_UNAVAILABLE (retryable, not a bad file) when the model is missing", async () => {
    const pool = await createOcrPool({ langPath: path.join(os.tmpdir(), "no-such-model-dir"), startTimeoutMs: 3_000 });
    try {
      const err = await pool.recognize(await line("申报书")).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "OCR_UNAVAILABLE", permanent: false });
      const files = [{ name: "p.jpg", type: "jpeg" as const, content: await line("申报书") }];
      await expect(inspectScan(files, { ocr: pool })).rejects.toMatchObject({ code: "OCR_UNAVAILABLE" });
    } finally {
      await pool.close();
    }
  });
});
