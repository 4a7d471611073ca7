// The console's one way to call the moderator API: the token from this tab's sessionStorage, JSON in and out,
// and the contract's error message (never a stack) in what it throws.

export const TOKEN_KEY = 'parley.moderatorToken'

export const token = (): string | null => sessionStorage.getItem(TOKEN_KEY)

/** A refused call: the HTTP status and the API's own message; 401 reads "unauthorized" (the tab signs out). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Whether a failure was the token's refusal (already told to the moderator by the sign-in form). */
export const isUnauthorized = (error: unknown): boolean => error instanceof ApiError && error.status === 401

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

let unauthorized: (message: string) => void = () => {}

/** What to do when the token is refused (set once by the console: sign out with a message). */
export function onUnauthorized(handler: (message: string) => void): void {
  unauthorized = handler
}

/** Calls /api/admin + path; T is the answer's type (from src/api/answers.ts, the schemas the API document shows). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token() ?? ''}` }
  const init: RequestInit = { method, headers }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch(`/api/admin${path}`, init)
  if (res.status === 401) {
    unauthorized('Your token was refused. Sign in again.')
    throw new ApiError(401, 'unauthorized')
  }
  if (res.status === 204) return null as T
  const data = (await res.json()) as T & { error?: { message?: string } }
  if (!res.ok) throw new ApiError(res.status, data?.error?.message || `HTTP ${res.status}`)
  return data
}
