import { AppError } from '../errors.js'
import { ID } from './ids.js'

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
  const id = decoded.slice(1)
  if (decoded[0] !== 'c' || !ID.test(id)) {
    throw new AppError('validation_failed', 'The cursor is not valid.', { fields: { cursor: 'The cursor is not valid.' } })
  }
  return Number(id)
}
