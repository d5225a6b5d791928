// PDFs built at test time to cost too much (kept out of the repository: a few lines each).
import zlib from "node:zlib";

/** A PDF from numbered object bodies (1 = catalog), with a correct cross-reference table. */
export function rawPdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  objects.forEach((body, i) => {
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1"), Buffer.from("\nendobj\n")]);
    offsets.push(at);
    parts.push(b);
    at += b.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
  parts.push(Buffer.from(`${xref}trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

export function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<<${dict}/Length ${data.length}>>\nstream\n`), data, Buffer.from("\nendstream")]);
}

/** Deflates `count` copies of `chunk`, between a head and a tail, without holding the inflated bytes. */
async function deflateRepeated(head: Buffer, chunk: Buffer, count: number, tail: Buffer): Promise<Buffer> {
  const d = zlib.createDeflate({ level: 9 });
  const out: Buffer[] = [];
  d.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => d.on("end", resolve));
  const write = (b: Buffer) => new Promise<void>((resolve) => (d.write(b) ? resolve() : d.once("drain", () => resolve())));
  await write(head);
  for (let i = 0; i < count; i++) await write(chunk);
  d.end(tail);
  await done;
  return Buffer.concat(out);
}

const FONT = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>";

/** One page with a font whose content stream inflates to `mb` MB of text-showing operators (pdf.js's text layer chokes on it). */
export async function textLayerBomb(mb: number): Promise<Buffer> {
  const content = await deflateRepeated(Buffer.from("BT /F1 1 Tf "), Buffer.from("(a) Tj ".repeat(149_796)), mb, Buffer.from(" ET"));
  return rawPdf([
    "<</Type/Catalog/Pages 2 0 R>>",
    "<</Type/Pages/Kids[3 0 R]/Count 1>>",
    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
    FONT,
    stream("/Filter/FlateDecode", content),
  ]);
}

/** `n` pages of 1×1 point sharing one empty content stream. */
export function manyTinyPages(n: number): Buffer {
  const kids = Array.from({ length: n }, (_, i) => `${i + 4} 0 R`).join(" ");
  const pages = Array.from({ length: n }, () => "<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]/Contents 3 0 R>>");
  return rawPdf(["<</Type/Catalog/Pages 2 0 R>>", `<</Type/Pages/Kids[${kids}]/Count ${n}>>`, stream("", Buffer.alloc(0)), ...pages]);
}

/** A page whose resources hold an object nested `depth` arrays deep. */
export function deeplyNested(depth: number): Buffer {
  return rawPdf([
    "<</Type/Catalog/Pages 2 0 R>>",
    "<</Type/Pages/Kids[3 0 R]/Count 1>>",
    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R/Nest 6 0 R>>",
    stream("", Buffer.from("BT /F1 12 Tf 72 720 Td (x) Tj ET")),
    FONT,
    "[".repeat(depth) + "]".repeat(depth),
  ]);
}

/** A one-page PDF whose page image is `jpeg`, with extra objects (actions, annotations) from `extra`, numbered from 6. */
export function pdfWithImage(jpeg: Buffer, width: number, height: number, opts: { catalog?: string; pageExtra?: string; extra?: string[] } = {}): Buffer {
  return rawPdf([
    `<</Type/Catalog/Pages 2 0 R${opts.catalog ?? ""}>>`,
    "<</Type/Pages/Kids[3 0 R]/Count 1>>",
    `<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Im1 5 0 R>>>>/Contents 4 0 R${opts.pageExtra ?? ""}>>`,
    stream("", Buffer.from("q 595 0 0 842 0 0 cm /Im1 Do Q")),
    stream(`/Type/XObject/Subtype/Image/Width ${width}/Height ${height}/ColorSpace/DeviceRGB/BitsPerComponent 8/Filter/DCTDecode`, jpeg),
    ...(opts.extra ?? []),
  ]);
}
