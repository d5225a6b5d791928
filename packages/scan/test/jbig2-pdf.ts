// A one-page PDF whose page image is JBIG2 (the PDF's embedded organisation,
// ISO 14492 §D.3): a page-information segment and one immediate generic
// region, coded MMR. MMR is T.6 (CCITT G4) coding, so the region's data is
// the G4 strip of a fax-coded page; no JBIG2 encoder is packaged in Debian.
import { PDFDocument, PDFName, PDFNumber, PDFRawStream, popGraphicsState, pushGraphicsState, concatTransformationMatrix, drawObject } from "pdf-lib";

/** The G4 data, width and height of the first CCITT-coded image of a PDF. */
export async function g4Image(pdf: Buffer): Promise<{ data: Uint8Array; width: number; height: number }> {
  const doc = await PDFDocument.load(pdf);
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image")) continue;
    const num = (k: string) => (obj.dict.get(PDFName.of(k)) as PDFNumber).asNumber();
    return { data: obj.contents, width: num("Width"), height: num("Height") };
  }
  throw new Error("no image in the PDF");
}

function segment(number: number, type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(11);
  head.writeUInt32BE(number, 0);
  head[4] = type; // page association in one byte, no deferred non-retain
  head[5] = 0; // refers to no segment
  head[6] = 1; // page 1
  head.writeUInt32BE(data.length, 7);
  return Buffer.concat([head, data]);
}

/** The JBIG2 stream of one page holding one MMR-coded generic region. */
export function jbig2Page(g4: Uint8Array, width: number, height: number): Buffer {
  const info = Buffer.alloc(19);
  info.writeUInt32BE(width, 0);
  info.writeUInt32BE(height, 4);
  info.writeUInt32BE(300, 8);
  info.writeUInt32BE(300, 12);
  info[16] = 0; // default pixel 0 (white), OR combination
  info.writeUInt16BE(0, 17); // not striped
  const region = Buffer.alloc(18);
  region.writeUInt32BE(width, 0);
  region.writeUInt32BE(height, 4);
  region.writeUInt32BE(0, 8);
  region.writeUInt32BE(0, 12);
  region[16] = 0; // OR
  region[17] = 1; // MMR
  return Buffer.concat([segment(0, 48, info), segment(1, 38, Buffer.concat([region, Buffer.from(g4)])), segment(2, 49, Buffer.alloc(0))]);
}

/** A PDF of one page showing a JBIG2 image over the whole page. */
export async function jbig2Pdf(g4: Uint8Array, width: number, height: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([width, height]);
  const image = doc.context.stream(jbig2Page(g4, width, height), {
    Type: "XObject",
    Subtype: "Image",
    Width: width,
    Height: height,
    ColorSpace: "DeviceGray",
    BitsPerComponent: 1,
    Filter: "JBIG2Decode",
  });
  page.node.setXObject(PDFName.of("Im0"), doc.context.register(image));
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(width, 0, 0, height, 0, 0), drawObject("Im0"), popGraphicsState());
  return Buffer.from(await doc.save());
}
