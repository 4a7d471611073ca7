// Reads the shared labelled data at run time (it is never copied into the repository).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '')
}

function records(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'))
  if (!header) return []
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])))
}

/** ../shared/data beside the repository (or beside the folder of worktrees), or PARLEY_DATA_DIR. */
export const DATA_DIR =
  process.env.PARLEY_DATA_DIR ??
  [join(import.meta.dirname, '..', '..', 'shared', 'data'), join(import.meta.dirname, '..', '..', '..', 'shared', 'data')].find((d) =>
    existsSync(d),
  ) ??
  join(import.meta.dirname, '..', '..', 'shared', 'data')

export const VIDEOS = ['Youtube01-Psy', 'Youtube02-KatyPerry', 'Youtube03-LMFAO', 'Youtube04-Eminem', 'Youtube05-Shakira']

export type YoutubeComment = { video: string; author: string; content: string; spam: boolean }

/** The YouTube Spam Collection, one array per video. DATE is never read (it leaks the label in Eminem). */
export function loadYoutube(dir = DATA_DIR): YoutubeComment[][] {
  return VIDEOS.map((video) =>
    records(join(dir, 'youtube-spam', `${video}.csv`)).map((r) => ({
      video,
      author: r.AUTHOR ?? '',
      content: r.CONTENT ?? '',
      spam: r.CLASS === '1',
    })),
  )
}

export type JigsawComment = { text: string; obscene: boolean }

/** Both Jigsaw files of the toxic sample, labelled by `obscene`. */
export function loadJigsaw(dir = DATA_DIR): JigsawComment[] {
  const files = ['jigsaw-train-head300.csv', 'jigsaw-test-ibm101-normalized.csv']
  return files.flatMap((f) => records(join(dir, 'jigsaw-sample', f)).map((r) => ({ text: r.comment_text ?? '', obscene: r.obscene === '1' })))
}

export type OutsideComment = {
  set: string
  n: number
  article: string
  author: string
  content: string
  spam: 0 | 1 | null
  toxic: 0 | 1 | null
  label: string | null
}

/** One of ../shared/data/outside/*.jsonl (see its README for licences and caveats). */
export function loadOutside(name: string, dir = DATA_DIR): OutsideComment[] {
  return readFileSync(join(dir, 'outside', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as OutsideComment)
}
