import type { Logger } from "pino";
import type { ArchiveReader } from "./archive-reader.js";
import { localDateTime } from "./dates.js";
import { cropPath, imageType } from "./files.js";
import { countRows, sortRows } from "./filters.js";
import { renderDetail } from "./html-detail.js";
import { html } from "./html.js";
import { page } from "./html-layout.js";
import { renderList } from "./html-list.js";
import { renderOtherMessages } from "./html-messages.js";
import type { ReportLabels } from "./labels.js";
import type { CropKind, ReportLinks } from "./links.js";
import type { ReportView } from "./report-view.js";
import { readReceipts, type Receipt } from "./receipt.js";

export interface StaticHtmlOptions {
  /** Crops larger than this are left out of the file; default 2 MB. */
  maxCropBytes?: number;
  logger?: Logger;
  now?: Date;
}

/**
 * One self-contained HTML file: counts, the table grouped by mechanism (review
 * queue order), then every submission's page as a section; crops inlined as
 * data: URIs, no script, no form.
 */
export async function renderStaticHtml(data: ReportView, labels: ReportLabels, archive: ArchiveReader, options: StaticHtmlOptions = {}): Promise<string> {
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
  for (const r of data.rows) if (!receipts.has(r.messageKey)) receipts.set(r.messageKey, await readReceipts(archive, r.messageKey, undefined, r.reviewed.receipts.map((x) => x.ackKey)));
  const links: ReportLinks = {
    submission: (r) => `#s-${r.id}`,
    file: () => undefined,
    crop: (r, kind) => crops.get(`${r.id}/${kind}`),
    receiptEml: () => undefined,
  };
  const rows = sortRows(data.rows, "priority");
  const body = html`${renderList({ labels, links, shown: rows, counts: countRows(rows), groupBy: "mechanism" })}
${renderOtherMessages(data.records, labels, links, data.problems)}
<h2>申报详情</h2>
${rows.map((r) => html`<hr>${renderDetail(r, { labels, links, all: data.rows, records: data.records, receipts: receipts.get(r.messageKey) })}<p><a href="#top">回到顶部</a></p>`)}
<footer>生成于 ${localDateTime((options.now ?? new Date()).toISOString(), labels.timezone)}（${labels.timeZoneName}）</footer>`;
  return page({ title: `${labels.title} · 申报汇总`, body: html`<a id="top"></a>${body}` }).value;
}
