import type { DocModel, Para } from "@intake/form";
import { html, type SafeHtml } from "./html.js";

const paraText = (p: Para) => p.runs.map((r) => r.text).join("");

/** The Word form's own text, tables as tables, every value escaped; bold runs (a chosen option) in bold. */
export function wordHtml(doc: DocModel, maxBlocks = 2000): SafeHtml {
  const para = (p: Para) => html`<p>${p.runs.map((r) => (r.bold && doc.hasFormatting ? html`<b>${r.text}</b>` : r.text))}</p>`;
  return html`${doc.blocks.slice(0, maxBlocks).map((b) =>
    b.kind === "para"
      ? paraText(b.para).trim()
        ? para(b.para)
        : ""
      : html`<table><tbody>${b.rows.map((row) => html`<tr>${row.cells.filter((c) => !c.mergedUp).map((c) => html`<td${c.span > 1 ? html` colspan="${c.span}"` : ""}>${c.paras.map(para)}</td>`)}</tr>`)}</tbody></table>`,
  )}`;
}
