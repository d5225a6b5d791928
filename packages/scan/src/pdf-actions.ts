import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFStream, PDFString, PDFHexString, type PDFDocument, type PDFObject } from "pdf-lib";

/**
 * Active content in a PDF: actions a reader runs, follows or submits
 * (JavaScript, Launch, links to other files, form submission, automatic
 * actions on opening), embedded files, and fonts crafted against pdf.js
 * (CVE-2024-4367). Nothing of it is run here (pdf-lib only parses, pdf.js
 * runs with scripting and eval off); it is named, in the reviewers' words, so
 * they are warned before they open the file. The pages are read all the same.
 */

const ACTION_WORDS: Record<string, string> = {
  JavaScript: "含JavaScript脚本",
  Launch: "含启动外部程序的动作（Launch）",
  GoToR: "含跳转到外部文件的动作（GoToR）",
  GoToE: "含跳转到嵌入文件的动作（GoToE）",
  SubmitForm: "含提交表单数据的动作（SubmitForm）",
  ImportData: "含导入外部数据的动作（ImportData）",
  URI: "含打开网址的动作（URI）",
  Rendition: "含播放媒体的动作（Rendition）",
};
/** A clickable link to a web page is ordinary (a form printed to PDF has them); one that fires by itself or points elsewhere is not. */
const WEB_LINK = /^(https?:\/\/|mailto:)/i;

function text(o: PDFObject | undefined): string {
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  return o?.toString() ?? "";
}

/** Deepest nesting of inline dictionaries and arrays looked into, and most objects looked at. */
const MAX_DEPTH = 32;
const MAX_NODES = 1_000_000;

/** Every dictionary of the document, inline ones inside others included (references are not followed: each object is visited on its own). */
function dictionaries(doc: PDFDocument): PDFDict[] {
  const out: PDFDict[] = [];
  let nodes = 0;
  const walk = (o: PDFObject, depth: number): void => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return;
    const dict = o instanceof PDFDict ? o : o instanceof PDFStream ? o.dict : null;
    if (dict) {
      out.push(dict);
      for (const [, v] of dict.entries()) walk(v, depth + 1);
    } else if (o instanceof PDFArray) {
      for (const v of o.asArray()) walk(v, depth + 1);
    }
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) walk(obj, 0);
  return out;
}

/** The reviewers' reasons for the active content a parsed PDF holds (empty when none). */
export function pdfActiveContent(doc: PDFDocument): string[] {
  const found = new Set<string>();
  const lookup = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? doc.context.lookup(o) : o);
  const dicts = dictionaries(doc);
  /** Actions that run without a click: the document's OpenAction and every additional-actions (/AA) entry. */
  const automatic = new Set<PDFObject | undefined>();
  const root = lookup(doc.context.trailerInfo.Root);
  if (root instanceof PDFDict) automatic.add(lookup(root.get(PDFName.of("OpenAction"))));
  for (const dict of dicts) {
    const aa = lookup(dict.get(PDFName.of("AA")));
    if (aa instanceof PDFDict) for (const [, v] of aa.entries()) automatic.add(lookup(v));
  }
  for (const dict of dicts) {
    if (dict.has(PDFName.of("JS")) || dict.has(PDFName.of("JavaScript"))) found.add(ACTION_WORDS.JavaScript!);
    if (dict.has(PDFName.of("RichMedia")) || dict.has(PDFName.of("XFA"))) found.add("含富媒体或XFA表单");
    if (dict.get(PDFName.of("Type"))?.toString() === "/EmbeddedFile" || dict.has(PDFName.of("EmbeddedFiles"))) found.add("含嵌入文件");
    const fm = dict.get(PDFName.of("FontMatrix"));
    if (fm instanceof PDFArray && fm.asArray().some((v) => !(v instanceof PDFNumber))) found.add("字体矩阵含非数值内容（针对PDF阅读器的攻击手法）");
    const s = dict.get(PDFName.of("S"));
    if (!(s instanceof PDFName)) continue;
    const kind = s.toString().slice(1);
    const words = ACTION_WORDS[kind];
    if (!words) continue;
    const auto = automatic.has(dict);
    if (kind === "URI" && !auto && WEB_LINK.test(text(lookup(dict.get(PDFName.of("URI")))).trim())) continue;
    found.add(auto ? `${words}，打开文件时自动执行` : words);
  }
  // Said once: "runs on opening" already says the script is there.
  return [...found].filter((w) => !found.has(`${w}，打开文件时自动执行`));
}

/** Scripts in objects pdf-lib could not parse (a broken cross-reference table, odd streams). */
export function rawActiveContent(buf: Buffer): string[] {
  return buf.includes("/JavaScript") || buf.includes("/JS ") || buf.includes("/JS(") || buf.includes("/JS<") ? [ACTION_WORDS.JavaScript!] : [];
}

/** The reviewers' note about a PDF with active content: what it holds (the call's words say the rest). */
export function pdfActiveContentDetail(found: readonly string[]): string {
  return found.join("；");
}
