import { html, raw, type SafeHtml } from "./html.js";
import { REPORT_CSS } from "./styles.js";

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Header line (title, links); default: the title. */
  header?: SafeHtml;
  /** `link`: the web view's stylesheet URL; `inline`: a self-contained file. Default inline. */
  css?: { link: string } | "inline";
}

// A self-contained file carries its own policy: no scripts, no requests, images only from data: URIs.
const STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function page(o: PageOptions): SafeHtml {
  const css = o.css && o.css !== "inline"
    ? html`<link rel="stylesheet" href="${o.css.link}">`
    : html`<meta http-equiv="Content-Security-Policy" content="${STATIC_CSP}"><style>${raw(REPORT_CSS)}</style>`;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${o.title}</title>${css}</head>
<body><header class="top">${o.header ?? html`<h1>${o.title}</h1>`}</header><main>${o.body}</main></body></html>
`;
}
