/** A connected set of pixels: its bounding box (inclusive), size, and whether it reaches the image's edge. */
export interface Blob {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
  touchesEdge: boolean;
}

/** Neighbour steps: the four sides first, then the four corners. */
const DX = Int8Array.of(-1, 1, 0, 0, -1, 1, -1, 1);
const DY = Int8Array.of(0, 0, -1, 1, -1, -1, 1, 1);

/**
 * The connected sets of pixels where `mask` is `value`, by flood fill with an
 * explicit stack; `diagonal` joins pixels that touch only at a corner.
 */
export function blobs(mask: Uint8Array, w: number, h: number, opts: { value?: 0 | 1; diagonal?: boolean } = {}): Blob[] {
  const value = opts.value ?? 1;
  const steps = opts.diagonal ? 8 : 4;
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const out: Blob[] = [];
  for (let s = 0; s < w * h; s++) {
    if (mask[s] !== value || seen[s]) continue;
    const b: Blob = { x0: w, y0: h, x1: 0, y1: 0, area: 0, touchesEdge: false };
    let top = 0;
    stack[top++] = s;
    seen[s] = 1;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      b.area++;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) b.touchesEdge = true;
      for (let k = 0; k < steps; k++) {
        const nx = x + DX[k]!;
        const ny = y + DY[k]!;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (mask[q] !== value || seen[q]) continue;
        seen[q] = 1;
        stack[top++] = q;
      }
    }
    out.push(b);
  }
  return out;
}
