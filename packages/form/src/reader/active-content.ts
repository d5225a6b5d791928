import type { Flag } from "@intake/schema";

/**
 * Active content in Word files: what makes Word run code, fetch something or
 * pull in another file when a reviewer opens it. Nothing of it is ever
 * followed here; it is named so the reviewers are warned (the form's text is
 * still read). The reasons are the reviewers' words.
 */

/** The parts of a .docx the checks read besides word/document.xml (all small). */
export function isActiveContentPart(name: string): boolean {
  return name === "[Content_Types].xml" || /^word\/_rels\/[^/]+\.rels$/.test(name);
}

// Relationship types by their last path segment (the namespaces vary between Office versions).
const REL_WORDS: Record<string, string> = {
  aFChunk: "嵌入外部内容块（altChunk）",
  subDocument: "引用子文档（subDocument）",
  oleObject: "嵌入OLE对象",
  package: "嵌入文件包",
  attachedTemplate: "引用外部模板",
  frame: "引用外部框架页",
  control: "含ActiveX控件",
  vbaProject: "含宏（VBA）",
};
const SAFE_LINK = /^(https?:\/\/|mailto:|#)/i;
const FIELD_WORDS: [RegExp, string][] = [
  [/\bDDE(AUTO)?\b/i, "含DDE自动执行域（DDEAUTO）"],
  [/\bINCLUDETEXT\b/i, "含引用外部文件的域（INCLUDETEXT）"],
  [/\bINCLUDEPICTURE\b[^"]*"\s*(https?:|\\\\|file:)/i, "含引用远程图片的域（INCLUDEPICTURE）"],
  [/\b(IMPORT|LINK)\s+"?[A-Za-z]+\./i, "含链接外部对象的域（LINK/IMPORT）"],
  [/\bHYPERLINK\s+"\s*(file:|\\\\)/i, "含指向本机或内网的链接域（HYPERLINK）"],
];

function relTargets(xml: string): { type: string; target: string; external: boolean }[] {
  const out: { type: string; target: string; external: boolean }[] = [];
  for (const m of xml.matchAll(/<Relationship\b[^>]*>/g)) {
    const attr = (n: string) => new RegExp(`\\b${n}\\s*=\\s*"([^"]*)"`).exec(m[0])?.[1] ?? "";
    out.push({ type: attr("Type").split("/").pop() ?? "", target: attr("Target"), external: /^external$/i.test(attr("TargetMode")) });
  }
  return out;
}

/** What active content a .docx holds, in reviewers' words (empty when none). */
export function docxActiveContent(names: readonly string[], parts: ReadonlyMap<string, Buffer>, documentXml: Buffer | undefined): string[] {
  const found = new Set<string>();
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) found.add(REL_WORDS.vbaProject!);
  if (names.some((n) => /^word\/embeddings\/oleObject[^/]*\.bin$/i.test(n))) found.add(REL_WORDS.oleObject!);
  if (names.some((n) => /^word\/activeX\//i.test(n))) found.add(REL_WORDS.control!);
  const types = parts.get("[Content_Types].xml")?.toString("utf8") ?? "";
  if (/macroEnabled/i.test(types)) found.add("启用宏的文档类型（.docm）");
  for (const [name, data] of parts) {
    if (!name.endsWith(".rels")) continue;
    for (const r of relTargets(data.toString("utf8"))) {
      if (r.type === "hyperlink") {
        // Links to web pages and mail addresses are ordinary in a form; anything else (file:, \\server, ms-… handlers) is not.
        if (r.external && !SAFE_LINK.test(r.target.trim())) found.add(`含指向本机或内网的链接（${r.target.slice(0, 60)}）`);
        continue;
      }
      const words = REL_WORDS[r.type];
      if (words && (r.type !== "attachedTemplate" || r.external)) found.add(words);
      else if (r.external && !["image"].includes(r.type)) found.add(`引用外部资源（${r.type}）`);
      else if (r.external) found.add("引用远程图片");
    }
  }
  const doc = documentXml?.toString("utf8") ?? "";
  const instructions = [...doc.matchAll(/<w:instrText\b[^>]*>([^<]*)<\/w:instrText>/g)].map((m) => m[1]).join("") +
    [...doc.matchAll(/\bw:instr\s*=\s*"([^"]*)"/g)].map((m) => ` ${m[1]} `).join("");
  for (const [re, words] of FIELD_WORDS) if (re.test(instructions)) found.add(words);
  return [...found];
}

/** What active content a Word 97-2003 (OLE) file holds: macro storages, packaged files, DDE fields. */
export function oleActiveContent(content: Buffer): string[] {
  // Storage and stream names are UTF-16 with a terminating NUL in the directory; field codes are in the text, 8-bit or UTF-16.
  const entry = (s: string) => content.includes(Buffer.from(`${s}\0`, "utf16le"));
  const text = (s: string) => content.includes(Buffer.from(s, "latin1")) || content.includes(Buffer.from(s, "utf16le"));
  const found: string[] = [];
  if (entry("_VBA_PROJECT")) found.push(REL_WORDS.vbaProject!);
  if (entry("\u0001Ole10Native")) found.push("嵌入文件包（OLE Package）");
  if (text("DDEAUTO")) found.push(FIELD_WORDS[0]![1]);
  if (text("INCLUDETEXT")) found.push(FIELD_WORDS[1]![1]);
  return found;
}

/** The reviewers' note about a Word file with active content (its text is still read; the receipt says nothing of it). */
export function activeContentFlag(fileName: string, found: readonly string[]): Flag {
  return { code: "suspicious-attachment", file: fileName, reason: "active-content", detail: found.join("；") };
}
