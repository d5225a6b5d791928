import type { Logger } from "pino";
import type { Call } from "@intake/schema";
import { emptyFields } from "@intake/schema";
import { parseWordForm, type WordType } from "@intake/form";
import type { Attachment } from "@intake/mail";
import type { FormStage, StoredAttachment } from "../stage.js";

// A ZIP under a Word name goes to the Word reader, which tells a damaged .docx from anything else.
const WORD_TYPES = new Set<string>(["docx", "ole", "rtf", "odt", "zip"]);

/** Reads one Word attachment into fields; a file that is not a Word format at all is unreadable, not a crash. */
export async function readForm(
  a: Attachment,
  stored: StoredAttachment,
  deps: { call: Call; logger: Logger },
): Promise<FormStage> {
  if (!WORD_TYPES.has(a.type)) {
    return {
      attachment: stored,
      readable: false,
      fields: emptyFields(),
      sources: {},
      flags: [{ code: "unreadable-attachment", file: a.name, reason: "not-word", detail: `not a Word document (content is ${a.type})` }],
    };
  }
  const r = await parseWordForm(a.content, {
    call: deps.call,
    fileName: a.name,
    type: (a.type === "zip" ? "docx" : a.type) as WordType,
    logger: deps.logger.child({ file: a.storedName }),
  });
  return { attachment: stored, readable: r.readable, fields: r.fields, sources: r.sources, flags: r.flags };
}
