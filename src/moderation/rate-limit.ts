/** Counts posts per client and per author; throws AppError('rate_limited') when over a limit. */
export interface Limiter {
  consume(key: { ip: string | null; emailHash: string }): Promise<void>
}

/** No limits at all: for tests of other things. */
export const noLimits: Limiter = { consume: async () => {} }
