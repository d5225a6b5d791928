// The surge's time series as one small SVG: queue depths, emails delivered
// and receipts sent over time (top), and each receipt's mail→receipt time at
// the moment it was sent (bottom). Hand-drawn polylines: a charting library
// would bring a browser or a DOM for four lines.

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

const W = 900;
const H = 260;
const PAD = { l: 56, r: 160, t: 24, b: 30 };

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function panel(title: string, yLabel: string, series: Series[], xMax: number, dots: boolean, top: number): string {
  // Rounded up to a multiple of 4, so the four gridlines fall on whole numbers.
  const yMax = Math.ceil(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) / 4) * 4;
  const x = (v: number) => PAD.l + (v / Math.max(1, xMax)) * (W - PAD.l - PAD.r);
  const y = (v: number) => top + PAD.t + (1 - v / yMax) * (H - PAD.t - PAD.b);
  const out: string[] = [];
  out.push(`<text x="${PAD.l}" y="${top + 16}" font-size="13" font-weight="bold">${esc(title)}</text>`);
  out.push(`<line x1="${PAD.l}" y1="${y(0)}" x2="${W - PAD.r}" y2="${y(0)}" stroke="#888"/>`);
  out.push(`<line x1="${PAD.l}" y1="${y(0)}" x2="${PAD.l}" y2="${y(yMax)}" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(`<text x="${PAD.l - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${Math.round(v)}</text>`);
    const t = (xMax * i) / 4;
    out.push(`<text x="${x(t)}" y="${y(0) + 14}" font-size="10" text-anchor="middle">${(t / 60).toFixed(1)} min</text>`);
  }
  out.push(`<text x="12" y="${top + H / 2}" font-size="10" transform="rotate(-90 12 ${top + H / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    if (dots) {
      for (const [a, b] of s.points) out.push(`<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="2" fill="${s.color}"/>`);
    } else if (s.points.length) {
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" ")}"/>`);
    }
    out.push(`<rect x="${W - PAD.r + 12}" y="${top + PAD.t + i * 16}" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${W - PAD.r + 26}" y="${top + PAD.t + i * 16 + 9}" font-size="11">${esc(s.name)}</text>`);
  });
  return out.join("\n");
}

/** Two panels, time in seconds since the surge started on both x axes. */
export function surgeChart(title: string, counts: Series[], latencies: Series[]): string {
  const xMax = Math.max(1, ...[...counts, ...latencies].flatMap((s) => s.points.map((p) => p[0])));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 30}" font-family="sans-serif">`,
    `<text x="${PAD.l}" y="16" font-size="14">${esc(title)}</text>`,
    panel("queue depths, emails delivered, receipts sent", "jobs / emails", counts, xMax, false, 20),
    panel("mail→receipt per receipt, at the time it was sent", "seconds", latencies, xMax, true, H + 30),
    "</svg>",
  ].join("\n");
}
