import type { Logger } from "pino";
import type { Journal } from "@intake/review";
import { loadReport, reportView, type ArchiveReader, type KnownRecord, type MessageHead, type ReportData, type ReportView } from "@intake/report";
import type { Call } from "@intake/schema";

/**
 * The archive's report, re-read in the background at most every `refreshMs`:
 * a request is answered from what is loaded (a re-read of thousands of
 * records never holds a page up), and the reviewers' journal is joined on
 * every request, so a correction shows at once.
 */
export class ReportCache {
  private data: ReportData | undefined;
  private loadedAt = 0;
  private pending: Promise<ReportData> | undefined;
  private view: { data: ReportData; journal: unknown; view: ReportView } | undefined;
  private readonly heads = new Map<string, MessageHead>();
  /** Records read so far: a re-read opens only the records written since. */
  private readonly known = new Map<string, KnownRecord>();

  constructor(
    private readonly archive: ArchiveReader,
    private readonly call: Call,
    private readonly journal: Journal,
    private readonly refreshMs: number,
    private readonly logger?: Logger,
  ) {}

  private load(): Promise<ReportData> {
    this.pending ??= loadReport(this.archive, { logger: this.logger, heads: this.heads, known: this.known }).then(
      (d) => {
        // Nothing written since: the same data, so the view built on it stands.
        if (!(d.version !== undefined && d.version === this.data?.version)) this.data = d;
        this.loadedAt = Date.now();
        this.pending = undefined;
        return this.data!;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }

  /** The rows as every view shows them: records ⊕ journal. */
  async get(): Promise<ReportView> {
    let data = this.data;
    if (!data) data = await this.load();
    else if (Date.now() - this.loadedAt >= this.refreshMs) {
      // refreshMs 0 (tests) reads now; otherwise stale-while-revalidate.
      if (this.refreshMs === 0) data = await this.load();
      else void this.load().catch((err: unknown) => this.logger?.warn({ err }, "report reload failed"));
    }
    const journal = await this.journal.byMessageKey();
    if (this.view?.data !== data || this.view.journal !== journal) this.view = { data, journal, view: reportView(data, this.call, journal) };
    return this.view.view;
  }
}
