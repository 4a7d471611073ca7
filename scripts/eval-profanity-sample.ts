// Draws the hand-checked profanity sample (npx tsx scripts/eval-profanity-sample.ts): 200 comments the
// shipped check flags and 200 it does not, from ../shared/data/outside, seeded. Writes ids only; the
// verdicts are added by a person who reads each text (`profane`), and `npm run eval` scores them.
// With --show it prints the texts of the sample (for judging; never committed).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sharedProfanityCheck } from '../src/moderation/pipeline.js'
import { loadOutside } from './eval-data.js'
import { seededShuffle } from './eval-stats.js'

export const SAMPLE_FILE = join(import.meta.dirname, 'eval-labels', 'profanity-sample.json')
const isProfane = sharedProfanityCheck()
const outside = ['datacamp', 'davidson', 'impermium'].flatMap((s) => loadOutside(s))
const flagged = (c: { content: string; author: string }) => isProfane(c.content).length > 0 || isProfane(c.author).length > 0

if (!existsSync(SAMPLE_FILE)) {
  const yes = outside.filter(flagged)
  const no = outside.filter((c) => !flagged(c))
  const sample = [
    ...seededShuffle(yes, 2026)
      .slice(0, 200)
      .map((c) => ({ id: `${c.set}:${c.n}`, flagged: true, profane: null })),
    ...seededShuffle(no, 2027)
      .slice(0, 200)
      .map((c) => ({ id: `${c.set}:${c.n}`, flagged: false, profane: null })),
  ]
  writeFileSync(
    SAMPLE_FILE,
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
  console.log(`drew 400 of ${outside.length} (${yes.length} flagged)`)
}
if (process.argv.includes('--show')) {
  const byId = new Map(outside.map((c) => [`${c.set}:${c.n}`, c]))
  const { sample } = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as { sample: { id: string; flagged: boolean }[] }
  for (const s of sample) {
    const c = byId.get(s.id)!
    console.log(`${s.id}\t${s.flagged ? 'F' : '-'}\t${isProfane(c.content).join(',')}\t${c.content.replace(/\s+/g, ' ').slice(0, 350)}`)
  }
}
