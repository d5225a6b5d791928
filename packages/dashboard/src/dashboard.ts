import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { JOB_NAMES, type Queues } from "@intake/jobs";

export interface QueueDashboardOptions {
  /** The queues to show (every queue of the job catalog). */
  queues: Pick<Queues, "queue">;
  /** URL path the dashboard is served under; default "/admin/queues". */
  basePath?: string;
  /** Hide retry/clean/remove buttons; default false (ops need "retry failed"). */
  readOnly?: boolean;
  /**
   * Runs before every dashboard request (the report's login check): reply
   * with 401/redirect to refuse. Default none — then the caller must guard
   * the scope it registers the dashboard in.
   */
  guard?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/**
 * Mounts the BullMQ dashboard (bull-board) on a fastify server, in its own
 * encapsulated scope so `guard` applies to the dashboard's routes only.
 * Await it before `app.listen()`.
 */
export async function mountQueueDashboard(app: FastifyInstance, opts: QueueDashboardOptions): Promise<void> {
  const basePath = (opts.basePath ?? "/admin/queues").replace(/\/+$/, "");
  const adapter = new FastifyAdapter();
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: JOB_NAMES.map((n) => new BullMQAdapter(opts.queues.queue(n), { readOnlyMode: opts.readOnly ?? false })),
    serverAdapter: adapter,
  });
  await app.register(async (scope) => {
    if (opts.guard) scope.addHook("onRequest", opts.guard);
    await scope.register(adapter.registerPlugin(), { prefix: basePath });
  });
}
