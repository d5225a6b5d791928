import type { Logger } from "pino";
import type { ArchiveReader } from "./archive-reader.js";
import { cropPath, imageType } from "./files.js";
import { renderDetail } from "./html-detail.js";
import { html } from "./html.js";
import { page } from "./html-layout.js";
import { renderList } from "./html-list.js";
import { renderOtherMessages } from "./html-messages.js";
import type { ReportLabels } from "./labels.js";
import type { CropKind, ReportLinks } from "./links.js";
import type { ReportData } from "./load-report.js";
import { readReceipts, type Receipt } from "./receipt.js";

export interface StaticHtmlOptions {
  /** Crops larger than this are left out of the file; default 2 MB. */
  maxCropBytes?: number;
  logger?: Logger;
}

/**
 * One self-contained HTML file: counts, the table grouped by mechanism, then
 * every submission's page as a section; crops inlined as data: URIs, no script.
 */
export async function renderStaticHtml(data: ReportData, labels: ReportLabels, archive: ArchiveReader, options: StaticHtmlOptions = {}): Promise<string> {
  const maxCrop = options.maxCropBytes ?? 2 * 1024 * 1024;
  const crops = new Map<string, string>();
  for (const r of data.rows) {
    for (const kind of ["signature", "seal"] as CropKind[]) {
      const p = cropPath(r, kind);
      if (!p) continue;
      try {
        const buf = await archive.readFile(p);
        const type = imageType(buf);
        if (type && buf.length <= maxCrop) crops.set(`${r.id}/${kind}`, `data:${type};base64,${buf.toString("base64")}`);
      } catch (err) {
        options.logger?.warn({ err, messageKey: r.messageKey, kind }, "evidence crop unreadable");
      }
    }
  }
  const receipts = new Map<string, Receipt[]>();
  for (const key of new Set(data.rows.map((r) => r.messageKey))) receipts.set(key, await readReceipts(archive, key));
  const links: ReportLinks = {
    submission: (r) => `#s-${r.id}`,
    file: () => undefined,
    crop: (r, kind) => crops.get(`${r.id}/${kind}`),
    receiptEml: () => undefined,
  };
  const body = html`${renderList({ labels, links, all: data.rows, shown: data.rows, groupBy: "mechanism" })}
${renderOtherMessages(data.records, labels, links)}
<h2>申报详情</h2>
${data.rows.map((r) => html`<hr>${renderDetail(r, { labels, links, all: data.rows, records: data.records, receipts: receipts.get(r.messageKey) })}<p><a href="#top">回到顶部</a></p>`)}
<footer>生成于 ${new Date().toISOString()}</footer>`;
  return page({ title: `${labels.title} · 申报汇总`, body: html`<a id="top"></a>${body}` }).value;
}
