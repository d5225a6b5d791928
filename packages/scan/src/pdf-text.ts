import { PDFParse } from "pdf-parse";

/**
 * The text layer of some pages (1-based numbers), page → text. pdf.js runs
 * with eval off so crafted fonts cannot become code; no fetches are allowed.
 */
export async function pdfTextLayer(buf: Buffer, pages: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!pages.length) return out;
  const parser = new PDFParse({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false });
  try {
    const r = await parser.getText({ partial: pages });
    for (const p of r.pages) out.set(p.num, p.text);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
  return out;
}
