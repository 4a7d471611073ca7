import { AppError } from '../errors.js'

/** Cursors are opaque to clients: base64url of the last id seen. */
export function encodeCursor(id: number): string {
  return btoa(`c${id}`).replace(/=+$/, '')
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null
  let decoded = ''
  try {
    decoded = atob(cursor)
  } catch {
    // fall through to the error below
  }
  const match = /^c([1-9]\d{0,15})$/.exec(decoded)
  if (!match) {
    throw new AppError('validation_failed', 'The cursor is not valid.', { fields: { cursor: 'The cursor is not valid.' } })
  }
  return Number(match[1])
}
