// Draws the hand-checked profanity samples (npx tsx scripts/eval-profanity-sample.ts [--second]) from
// ../shared/data/outside, seeded, and writes ids only; the verdicts are added by a person who reads each
// text (`profane`), and `npm run eval` scores them. With --show it prints the texts of a sample (for
// judging; never committed).
// - profanity-sample.json: 200 comments the check flagged and 200 it did not (the check as of b358c97).
//   Words were added after reading its misses, so it measures the check as shipped optimistically.
// - profanity-sample-2.json (--second): 100 flagged and 200 not flagged by the check as shipped when it
//   was drawn, from the comments the first sample does not hold: nothing in it was read while the check
//   was written, so it is the clean reading.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sharedProfanityCheck } from '../src/moderation/pipeline.js'
import { loadOutside } from './eval-data.js'
import { seededShuffle } from './eval-stats.js'

const second = process.argv.includes('--second')
export const SAMPLE_FILE = join(import.meta.dirname, 'eval-labels', 'profanity-sample.json')
const file = second ? join(import.meta.dirname, 'eval-labels', 'profanity-sample-2.json') : SAMPLE_FILE
const isProfane = sharedProfanityCheck()
const first = existsSync(SAMPLE_FILE)
  ? new Set((JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as { sample: { id: string }[] }).sample.map((s) => s.id))
  : new Set()
const outside = ['datacamp', 'davidson', 'impermium'].flatMap((s) => loadOutside(s)).filter((c) => !second || !first.has(`${c.set}:${c.n}`))
const flagged = (c: { content: string; author: string }) => isProfane(c.content).length > 0 || isProfane(c.author).length > 0

if (!existsSync(file)) {
  const yes = outside.filter(flagged)
  const no = outside.filter((c) => !flagged(c))
  const [nYes, nNo, seedYes, seedNo] = second ? [100, 200, 3026, 3027] : [200, 200, 2026, 2027]
  const sample = [
    ...seededShuffle(yes, seedYes)
      .slice(0, nYes)
      .map((c) => ({ id: `${c.set}:${c.n}`, flagged: true, profane: null })),
    ...seededShuffle(no, seedNo)
      .slice(0, nNo)
      .map((c) => ({ id: `${c.set}:${c.n}`, flagged: false, profane: null })),
  ]
  writeFileSync(
    file,
    JSON.stringify(
      {
        note: 'Drawn by scripts/eval-profanity-sample.ts. profane: does the text contain profanity, a slur or an obscene insult, as judged by a person who read it.',
        drawnFrom: { flagged: yes.length, notFlagged: no.length },
        sample,
      },
      null,
      0,
    ).replace(/\},\{/g, '},\n{') + '\n',
  )
  console.log(`drew ${sample.length} of ${outside.length} (${yes.length} flagged)`)
}
if (process.argv.includes('--show')) {
  const byId = new Map(outside.map((c) => [`${c.set}:${c.n}`, c]))
  const { sample } = JSON.parse(readFileSync(file, 'utf8')) as { sample: { id: string; flagged: boolean }[] }
  for (const s of sample) {
    const c = byId.get(s.id)!
    console.log(`${s.id}\t${s.flagged ? 'F' : '-'}\t${isProfane(c.content).join(',')}\t${c.content.replace(/\s+/g, ' ').slice(0, 350)}`)
  }
}
