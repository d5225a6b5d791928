// A PDF process that read a file cleanly is reset and reads the next one:
// starting a process costs more than reading most scanned copies. One that
// went past a cap is never kept, and a file is judged by what it needs, not
// by what an earlier file left in the process.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PdfCapExceeded, PdfSession, warmPdfProcess, type PdfCaps } from "../src/pdf-isolated.js";
import { pdfWithImage, textLayerBomb } from "./pdf-bombs.js";

const caps: PdfCaps = { cpuSeconds: 20, totalCpuSeconds: 30, memoryMb: 320, maxPages: 100 };

async function formPdf(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 620, height: 877, channels: 3, background: "white" } })
    .composite([{ input: Buffer.from('<svg width="620" height="877"><text x="60" y="120" font-size="40">申报书</text></svg>') }])
    .jpeg()
    .toBuffer();
  return pdfWithImage(jpeg, 620, 877);
}

async function readAll(pdf: Buffer, c = caps): Promise<{ pid: number | undefined; pages: number; bytes: number[] }> {
  const { session, pageCount } = await PdfSession.open(pdf, c, 1e8);
  try {
    const bytes: number[] = [];
    for (let i = 0; i < pageCount; i++) {
      const img = await session.image(i, 1e8);
      bytes.push(img && typeof img === "object" ? img.bytes.length : -1);
    }
    return { pid: session.pid, pages: pageCount, bytes };
  } finally {
    session.close();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe("PDF processes", () => {
  it("a process that read a file cleanly reads the next file, with the same result", async () => {
    const pdf = await formPdf();
    const first = await readAll(pdf);
    await settle();
    const second = await readAll(pdf);
    expect(second.pid).toBe(first.pid);
    expect(second).toEqual(first);
  });

  it("a process stopped at a cap is never given another file", async () => {
    const pdf = await formPdf();
    const before = await readAll(pdf);
    await settle();
    const { session } = await PdfSession.open(await textLayerBomb(300), { ...caps, cpuSeconds: 1 }, 1e8);
    expect(session.pid).toBe(before.pid);
    await expect(session.text(1)).rejects.toBeInstanceOf(PdfCapExceeded);
    session.close();
    await settle();
    const after = await readAll(pdf);
    expect(after.pid).not.toBe(before.pid);
    expect(after.bytes).toEqual(before.bytes);
  }, 60_000);

  it("the total CPU cap counts this file's steps, not the process's earlier files", async () => {
    const pdf = await formPdf();
    // Drawing the page with pdf.js costs a quarter to half a CPU second (more the first time, loading pdf.js): one file fits the cap, six together do not.
    const c = { ...caps, memoryMb: 512, totalCpuSeconds: 2 };
    const pids = new Set<number | undefined>();
    for (let i = 0; i < 6; i++) {
      const { session } = await PdfSession.open(pdf, c, 1e8);
      pids.add(session.pid);
      await session.render(1, 3000);
      session.close();
      await settle();
    }
    expect(pids.size).toBe(1);
  }, 60_000);

  it("a process started ahead is the one the first file gets", async () => {
    await warmPdfProcess(200);
    const { session } = await PdfSession.open(await formPdf(), { ...caps, memoryMb: 200 }, 1e8);
    const spare = session.pid;
    session.close();
    await settle();
    await warmPdfProcess(200);
    expect((await PdfSession.open(await formPdf(), { ...caps, memoryMb: 200 }, 1e8)).session.pid).toBe(spare);
  });
});
