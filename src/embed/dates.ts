// When a comment was written, as the reader's language says it: "3 hours ago" for the last week
// (Intl.RelativeTimeFormat), the full date and time after that and in the tooltip (Intl.DateTimeFormat).
const WEEK = 7 * 86_400_000
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

export class DateWords {
  private _full: Intl.DateTimeFormat
  private _relative: Intl.RelativeTimeFormat

  constructor(lang: string) {
    this._full = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' })
    this._relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  }

  /** The words shown and the full date for the tooltip; empty for a date that cannot be read. */
  say(iso: string, now = Date.now()): { shown: string; full: string } {
    const date = new Date(iso)
    if (isNaN(date.getTime())) return { shown: '', full: '' }
    const full = this._full.format(date)
    const age = Math.max(0, now - date.getTime())
    if (age >= WEEK) return { shown: full, full }
    const [unit, size] = units.find(([, size]) => age >= size) ?? ['minute', 60_000]
    // 0 - x, not -x: -0 would read as "0 minutes ago" rather than "this minute".
    return { shown: this._relative.format(0 - Math.floor(age / size), unit), full }
  }
}
