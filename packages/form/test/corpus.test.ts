import { loadCall } from "@intake/schema";
import { expect, it } from "vitest";
import { compareCorpus } from "../scripts/compare.js";
import { callFile } from "../scripts/corpus-forms.js";
import { describeShared } from "../../../test/support/shared.js";

const call = loadCall(callFile);
const TICKS = ["project.types", "basis.priorWork", "basis.hasPartners", "funding.requested"];

describeShared("Word forms of the corpus", ["corpus"], () => {
  it("reads ≥ 99.5% of the form fields exactly, every ticked box and yes/no, and the form's flags", async () => {
    const { fields, flags } = await compareCorpus(call);
    expect(fields.length).toBeGreaterThan(500);
    const ok = fields.filter((c) => c.ok).length;
    expect(ok / fields.length).toBeGreaterThanOrEqual(0.995);
    const ticks = fields.filter((c) => TICKS.includes(c.field));
    expect(ticks.filter((c) => !c.ok)).toEqual([]);
    const wrong = flags.flatMap((f) => [...f.missing, ...f.extra].map((x) => `${f.id} ${x}`));
    expect(wrong.length).toBeLessThanOrEqual(1);
  });
});
