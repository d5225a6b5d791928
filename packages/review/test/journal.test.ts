import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emptyFields, type MessageResult } from "@intake/schema";
import { applyCorrections, Journal, JOURNAL_PATH, parseFieldText } from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "review-journal-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const machine: MessageResult = {
  messageId: "<m1@example.org>", messageKey: "m1", kind: "submission", ack: true, receivedAt: "2026-01-10T02:00:00Z",
  submissions: [{
    word: "a.docx", scan: ["a.pdf"], fields: { ...emptyFields(), "unit.name": "中国林学会", "unit.postalCode": "10008" },
    signoff: { signature: true, seal: null },
    flags: ["invalid-field:unit.postalCode", "excluded-project-kind"],
    flagDetails: [{ code: "invalid-field", field: "unit.postalCode" }, { code: "excluded-project-kind" }],
    decisions: { seal: { outcome: "undecided", confidence: 0.4, reason: "low-confidence", evidence: { page: 3, searched: [{ x0: 0.5, y0: 0.6, x1: 0.9, y1: 0.9 }] } } },
    review: { needed: true, reasons: [{ code: "undecided", about: "seal", reason: "low-confidence" }] },
  }],
};

describe("journal", () => {
  it("appends durably, one line per entry, and skips a torn last line", async () => {
    const j = new Journal({ root });
    const base = { by: "zhangsan", byName: "张三", messageKey: "m1", submission: 0 };
    await j.append({ ...base, target: { kind: "decision", about: "seal" }, before: { outcome: "undecided" }, after: { outcome: "found" }, why: "公章清晰" });
    await j.append({ ...base, target: { kind: "field", key: "unit.postalCode" }, before: "10008", after: "100081", why: "扫描件上为100081" });
    await j.append({ ...base, target: { kind: "flag", key: "excluded-project-kind" }, before: true, after: false, why: "是交流项目" });
    await j.append({ ...base, by: "lisi", byName: "李四", target: { kind: "state" }, before: null, after: { state: "checked", note: "已核对" }, why: "已核对" });
    appendFileSync(join(root, JOURNAL_PATH), '{"id":"torn","at":"2026');
    const lines = readFileSync(join(root, JOURNAL_PATH), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    const again = new Journal({ root });
    const entries = await again.forMessage("m1");
    expect(entries.map((e) => e.target.kind)).toEqual(["decision", "field", "flag", "state"]);
    expect(again.unreadableLines).toBe(1);

    const { record, reviews } = applyCorrections(machine, entries);
    const s = record.submissions[0]!;
    expect(s.decisions?.seal).toMatchObject({ outcome: "found", reason: "reviewer", evidence: { page: 3 } });
    expect(s.signoff.seal).toBe(true);
    expect(s.fields["unit.postalCode"]).toBe("100081");
    expect(s.flags).toEqual([]);
    expect(s.review).toEqual({ needed: false, reasons: [] });
    expect(reviews[0]!.state).toMatchObject({ state: "checked", by: "lisi", byName: "李四", note: "已核对" });
    expect(reviews[0]!.corrections.map((c) => c.by)).toEqual(["zhangsan", "zhangsan", "zhangsan"]);
    // The machine's record is untouched.
    expect(machine.submissions[0]!.fields["unit.postalCode"]).toBe("10008");
    expect(machine.submissions[0]!.flags).toHaveLength(2);
  });

  it("turns a reviewer's text into the field's type", () => {
    expect(parseFieldText("project.countries", "越南、老挝，泰国")).toEqual(["越南", "老挝", "泰国"]);
    expect(parseFieldText("basis.priorWork", "是")).toBe(true);
    expect(parseFieldText("funding.requestedAmountYuan", "120,000")).toBe(120000);
    expect(parseFieldText("unit.name", "  ")).toBeNull();
    expect(parseFieldText("no.such.field", "x")).toBeUndefined();
  });

  it("accepts a version held for review into its project's line, or leaves it apart; the last word counts", () => {
    const held: MessageResult = {
      ...machine, messageKey: "m2", from: "stranger@other.example.net",
      submissions: [{
        ...machine.submissions[0]!, projectKey: "p1-abcd1234", heldVersion: { of: "p1" },
        flags: ["resubmission"], flagDetails: [{ code: "resubmission", detail: "同名项目的此前版本由其他发件人报送" }],
        review: { needed: true, reasons: [{ code: "other-sender-version", detail: "发件人不同" }, { code: "sender-unverified" }] },
      }],
    };
    const entry = (decision: string, at: string) => ({ id: `e-${decision}-${at}`, at, by: "zhangsan", byName: "张三", messageKey: "m2", submission: 0, target: { kind: "version" as const }, before: null, after: { decision }, why: "已电话核实" });
    const accepted = applyCorrections(held, [entry("accepted", "2026-01-11T01:00:00Z")]);
    const s = accepted.record.submissions[0]!;
    expect(s.projectKey).toBe("p1");
    expect(s.heldVersion).toEqual({ of: "p1", decision: "accepted" });
    // The held reason is settled; a reason of its own (a forged From) still asks for a person.
    expect(s.review).toEqual({ needed: true, reasons: [{ code: "sender-unverified" }] });
    expect(s.flagDetails?.[0]?.detail).toContain("已电话核实");
    expect(accepted.reviews[0]!.corrections.map((c) => c.target.kind)).toEqual(["version"]);
    // Rejected after all: back under its own key.
    const rejected = applyCorrections(held, [entry("accepted", "2026-01-11T01:00:00Z"), entry("rejected", "2026-01-11T02:00:00Z")]).record.submissions[0]!;
    expect(rejected.projectKey).toBe("p1-abcd1234");
    expect(rejected.heldVersion?.decision).toBe("rejected");
    // A version that was never held takes no such entry.
    expect(applyCorrections({ ...machine, messageKey: "m2" }, [entry("accepted", "2026-01-11T01:00:00Z")]).reviews[0]!.corrections).toEqual([]);
    expect(held.submissions[0]!.projectKey).toBe("p1-abcd1234");
  });
});
