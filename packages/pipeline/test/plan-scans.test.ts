import { describe, expect, it } from "vitest";
import { pageStem, planScanGroups } from "../src/steps/plan-scans.js";
import type { StoredAttachment } from "../src/stage.js";

const file = (name: string, type: string): StoredAttachment => ({ name, path: `messages/k/attachments/${name}`, type, size: 1, role: "scan" });

describe("scanned copies", () => {
  it("strips page numbers from photo names", () => {
    expect(pageStem("扫描件-第2页.jpg")).toBe("扫描件");
    expect(pageStem("IMG_0003.JPG")).toBe("IMG");
    expect(pageStem("项目A(1).png")).toBe("项目A");
  });
  it("keeps each PDF as its own copy and the photos of one form together, in page order", () => {
    const groups = planScanGroups([file("a.pdf", "pdf"), file("p-2.jpg", "jpeg"), file("p-10.jpg", "jpeg"), file("p-1.jpg", "jpeg")], 1);
    expect(groups.map((g) => g.files.map((f) => f.name))).toEqual([["a.pdf"], ["p-1.jpg", "p-2.jpg", "p-10.jpg"]]);
  });
  it("splits photos of several forms by their names", () => {
    const groups = planScanGroups([file("甲-1.jpg", "jpeg"), file("乙-1.jpg", "jpeg"), file("甲-2.jpg", "jpeg")], 2);
    expect(groups.map((g) => g.files.map((f) => f.name)).sort()).toEqual([["乙-1.jpg"], ["甲-1.jpg", "甲-2.jpg"]]);
  });
});
