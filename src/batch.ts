/**
 * Group commit for small statements. Calls made while `maxInFlight` batches are already running wait
 * and go together in the next one; with a free slot a call waits only until the current round of I/O
 * callbacks is done (see `soon`), so what one request starts at once (say, five rate-limit counters),
 * and what the other requests of that round start, still goes as one.
 * Under load this turns N concurrent one-row statements into a few many-row ones; idle, it adds nothing.
 *
 * `run` gets the items in call order and settles each one (a failure of one item need not fail the rest).
 * If `run` itself throws, every item of that batch rejects with the error.
 *
 * `scope` keeps apart calls that must not share I/O: on Workers a socket belongs to one request, so the
 * Worker passes its request scope and only one request's calls are ever batched together (and `run`
 * always runs in that request's context). On Node every call shares one scope.
 */
export type BatchScope = () => object

const PROCESS: object = {}
const oneScope: BatchScope = () => PROCESS

/**
 * When a free slot sends what is waiting: on Node after the current round of I/O callbacks (setImmediate),
 * so every request whose data arrived in that round joins; elsewhere at the end of the microtask queue.
 */
const soon: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => void (globalThis as unknown as { setImmediate: (fn: () => void) => unknown }).setImmediate(fn)
    : queueMicrotask

export function createBatcher<T, R>(options: {
  run: (items: T[]) => Promise<PromiseSettledResult<R>[]>
  maxInFlight?: number
  maxSize?: number
  scope?: BatchScope | undefined
  /** A batch not settled by then fails (its slot is freed), so one hung statement cannot stall every write. */
  timeoutMs?: number
}): (item: T) => Promise<R> {
  const maxInFlight = options.maxInFlight ?? 1
  const timeoutMs = options.timeoutMs ?? 15_000
  const maxSize = options.maxSize ?? 500
  const scopeOf = options.scope ?? oneScope
  type Waiter = { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }
  type State = { queue: Waiter[]; inFlight: number; scheduled: boolean }
  const states = new WeakMap<object, State>()

  const flush = (state: State) => {
    state.scheduled = false
    while (state.queue.length > 0 && state.inFlight < maxInFlight) {
      const batch = state.queue.splice(0, maxSize)
      state.inFlight++
      void send(state, batch)
    }
  }

  const send = async (state: State, batch: Waiter[]) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`batch not done within ${timeoutMs} ms`)), timeoutMs)
      })
      const results = await Promise.race([options.run(batch.map((w) => w.item)), expired])
      batch.forEach((w, i) => {
        const result = results[i]
        if (result?.status === 'fulfilled') w.resolve(result.value)
        else w.reject(result ? result.reason : new Error('batch returned fewer results than items'))
      })
    } catch (error) {
      for (const w of batch) w.reject(error)
    } finally {
      clearTimeout(timer)
      state.inFlight--
      flush(state)
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      const key = scopeOf()
      let state = states.get(key)
      if (!state) states.set(key, (state = { queue: [], inFlight: 0, scheduled: false }))
      state.queue.push({ item, resolve, reject })
      if (!state.scheduled && state.inFlight < maxInFlight) {
        state.scheduled = true
        const s = state
        soon(() => flush(s))
      }
    })
}
