/**
 * Group commit for small statements. Calls made while `maxInFlight` batches are already running wait
 * and go together in the next one; with a free slot a call waits only for the current microtask queue,
 * so what one request starts in the same tick (say, five rate-limit counters) still goes as one.
 * Under load this turns N concurrent one-row statements into a few many-row ones; idle, it adds nothing.
 *
 * `run` gets the items in call order and settles each one (a failure of one item need not fail the rest).
 * If `run` itself throws, every item of that batch rejects with the error.
 */
export function createBatcher<T, R>(options: {
  run: (items: T[]) => Promise<PromiseSettledResult<R>[]>
  maxInFlight?: number
  maxSize?: number
}): (item: T) => Promise<R> {
  const maxInFlight = options.maxInFlight ?? 1
  const maxSize = options.maxSize ?? 500
  type Waiter = { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }
  let queue: Waiter[] = []
  let inFlight = 0
  let scheduled = false

  const flush = () => {
    scheduled = false
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.length <= maxSize ? queue : queue.slice(0, maxSize)
      queue = queue.length <= maxSize ? [] : queue.slice(maxSize)
      inFlight++
      void send(batch)
    }
  }

  const send = async (batch: Waiter[]) => {
    try {
      const results = await options.run(batch.map((w) => w.item))
      batch.forEach((w, i) => {
        const result = results[i]
        if (result?.status === 'fulfilled') w.resolve(result.value)
        else w.reject(result ? result.reason : new Error('batch returned fewer results than items'))
      })
    } catch (error) {
      for (const w of batch) w.reject(error)
    } finally {
      inFlight--
      flush()
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true
        queueMicrotask(flush)
      }
    })
}
