// bmp-js ships no types; this is the part of its API the page source uses.
declare module "bmp-js" {
  /** Decodes a BMP to ABGR pixels, four bytes each. */
  const bmp: { decode(buf: Buffer): { width: number; height: number; data: Buffer } };
  export default bmp;
}
