import type { Logger } from "pino";
import { loadReport, type ArchiveReader, type ReportData } from "@intake/report";

/** The archive's report, re-read at most every `refreshMs` so a busy page does not re-read every record per request. */
export class ReportCache {
  private data: ReportData | undefined;
  private loadedAt = 0;
  private pending: Promise<ReportData> | undefined;

  constructor(
    private readonly archive: ArchiveReader,
    private readonly refreshMs: number,
    private readonly logger?: Logger,
  ) {}

  async get(): Promise<ReportData> {
    if (this.data && Date.now() - this.loadedAt < this.refreshMs) return this.data;
    this.pending ??= loadReport(this.archive, { logger: this.logger }).then(
      (d) => {
        this.data = d;
        this.loadedAt = Date.now();
        this.pending = undefined;
        return d;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }
}
