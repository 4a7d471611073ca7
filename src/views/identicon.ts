import { escapeHtml } from './html.js'

/**
 * A 5×5 mirrored identicon as SVG, drawn from the avatar seed (itself a keyed hash),
 * so the picture says nothing about the email that a guess could confirm.
 */
export function identiconSvg(seed: string): string {
  const hex = /^[0-9a-f]{20}$/.test(seed) ? seed : '0'.repeat(20)
  const hue = parseInt(hex.slice(0, 3), 16) % 360
  const bits = parseInt(hex.slice(3, 11), 16)
  let cells = ''
  for (let i = 0; i < 15; i++) {
    if (!((bits >>> i) & 1)) continue
    const col = Math.floor(i / 5)
    const row = i % 5
    for (const x of new Set([col, 4 - col])) cells += `<rect x="${x}" y="${row}" width="1" height="1"/>`
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" width="48" height="48">` +
    `<rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl(${hue} 30% 94%)"/>` +
    `<g fill="${escapeHtml(`hsl(${hue} 55% 45%)`)}">${cells}</g></svg>`
  )
}
