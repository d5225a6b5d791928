import type { DocModel, Run } from "../types.js";

/** One cell (or body paragraph) of the document with its position, text and runs. */
export interface CellRef {
  /** Table index in the document; -1 for a paragraph outside tables. */
  table: number;
  row: number;
  cell: number;
  text: string;
  runs: Run[];
}

/** The document's rows in reading order; a body paragraph is a row of one cell. */
export function rowsOf(doc: DocModel): CellRef[][] {
  const rows: CellRef[][] = [];
  let table = 0;
  let para = 0;
  for (const b of doc.blocks) {
    if (b.kind === "para") {
      const runs = b.para.runs;
      rows.push([{ table: -1, row: para++, cell: 0, text: runs.map((r) => r.text).join(""), runs }]);
      continue;
    }
    b.rows.forEach((r, ri) => {
      rows.push(
        r.cells.map((c, ci) => {
          const runs: Run[] = [];
          c.paras.forEach((p, pi) => {
            if (pi > 0) runs.push({ text: "\n", bold: false });
            runs.push(...p.runs);
          });
          return { table, row: ri, cell: ci, text: runs.map((x) => x.text).join(""), runs };
        }),
      );
    });
    table++;
  }
  return rows;
}
