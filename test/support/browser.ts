/**
 * Debian's Chromium for browser tests, driven through playwright-core (never a browser download).
 *
 *   describe.skipIf(!hasChromium)('…', () => {
 *     let browser: Browser
 *     beforeAll(async () => (browser = await launchChromium()), 60_000)
 *     afterAll(() => browser?.close())
 *   })
 *
 * The flags keep a headless Chromium off the network this machine does not have (background networking, component
 * updates and sync would each try, and be refused, at every start).
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (Debian: apt-get install chromium).`)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
