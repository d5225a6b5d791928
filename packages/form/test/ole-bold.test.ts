import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOLD_OFF, BOLD_ON, extractOleWithBold } from "../src/reader/ole-bold.js";
import { corpusMessages, samplesDir, wordAttachments } from "../scripts/corpus-forms.js";

describe("extractOleWithBold", () => {
  it("marks the template's bold section headings in a real Word 97 file, and not the answers", async () => {
    const msg = corpusMessages(samplesDir).find((m) => m.id === "msg-012")!;
    const [w] = (await wordAttachments(readFileSync(msg.file), msg.id)).filter((x) => x.type === "ole");
    const body = await extractOleWithBold(w!.content);
    const bold = [...body.matchAll(new RegExp(`${BOLD_ON}([^${BOLD_OFF}]*)${BOLD_OFF}`, "g"))].map((m) => m[1]!.trim());
    expect(bold).toContain("一、项目申报单位基本情况");
    expect(bold).toContain("五、经费需求");
    expect(bold.join("")).not.toContain("中国土木工程学会");
  });
});
