// Small statistics for the eval: Wilson intervals and a seeded shuffle.

/** Wilson score interval for k successes in n trials (95%: z = 1.96), as [low, high] proportions. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1]
  const p = k / n
  const d = 1 + (z * z) / n
  const centre = (p + (z * z) / (2 * n)) / d
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/** "12.3% (9.1–16.2%, 45/366)". */
export function fmtRate(k: number, n: number): string {
  if (n === 0) return '–'
  const [lo, hi] = wilson(k, n)
  const f = (x: number) => (100 * x).toFixed(1)
  return `${f(k / n)}% (${f(lo)}–${f(hi)}%, ${k}/${n})`
}

/** A copy in a fixed pseudo-random order (same seed, same order). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let s = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
