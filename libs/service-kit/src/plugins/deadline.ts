import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DEADLINE_HEADER, Deadline, parseBudgetHeader } from '@search-mesh/contracts';
import { HttpError } from '../http-error';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the caller stops waiting; mesh-client derives every downstream call's budget from it. */
    deadline: Deadline;
  }
}

export interface DeadlineOptions {
  /** Budget of a request without a deadline header (e.g. from outside the mesh). */
  defaultBudgetMs: number;
  /** Upper bound, so a caller cannot pin resources for hours. */
  maxBudgetMs: number;
}

/** Reads the caller's remaining budget from the deadline header into `request.deadline`. */
export const deadlinePlugin = fp<DeadlineOptions>(
  async function deadlinePlugin(app: FastifyInstance, opts: DeadlineOptions) {
    app.decorateRequest('deadline', null as unknown as Deadline);
    app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
      const header = request.headers[DEADLINE_HEADER];
      let budgetMs = opts.defaultBudgetMs;
      // Probes and metrics answer whatever deadline a caller claims (a forged one must not fail a probe).
      if (header !== undefined && !request.routeOptions.config?.operational) {
        const parsed = parseBudgetHeader(Array.isArray(header) ? (header[0] ?? '') : header);
        if (!parsed.ok) throw HttpError.badRequest(`header ${DEADLINE_HEADER} ${parsed.reason}`, `headers.${DEADLINE_HEADER}`);
        // mesh-client never sends less than 1 ms (it fails the call itself when no time is left), so a 0
        // comes from a client that got the header wrong: a 400 naming it, not work nobody waits for.
        if (parsed.budgetMs === 0) throw HttpError.badRequest(`header ${DEADLINE_HEADER} must be at least 1 (milliseconds left to answer)`, `headers.${DEADLINE_HEADER}`);
        budgetMs = Math.min(parsed.budgetMs, opts.maxBudgetMs);
      }
      request.deadline = Deadline.after(budgetMs);
    });
  },
  { name: 'search-mesh-deadline' },
);
