/**
 * Anonymizes an IP address before it is stored: IPv4 keeps its /24, IPv6 its /48.
 * Anything unparseable is dropped (null) rather than stored as given.
 */
export function anonymizeIp(ip: string | undefined | null): string | null {
  if (!ip) return null
  const value = ip.trim()
  const v4 = parseIpv4(value.startsWith('::ffff:') ? value.slice(7) : value)
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.0`
  const v6 = parseIpv6(value)
  if (v6) return `${v6.slice(0, 3).map((g) => g.toString(16)).join(':')}::`
  return null
}

function parseIpv4(value: string): number[] | null {
  const parts = value.split('.')
  if (parts.length !== 4) return null
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN))
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null
}

function parseIpv6(value: string): number[] | null {
  const bare = value.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (!/^[0-9a-f:.]+$/i.test(bare) || !bare.includes(':')) return null
  const halves = bare.split('::')
  if (halves.length > 2) return null
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const head = groups(halves[0] ?? '')
  const tail = groups(halves[1] ?? '')
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) stands for two groups.
  const last = tail.length ? tail : head
  const lastPart = last[last.length - 1]
  if (lastPart?.includes('.')) {
    const v4 = parseIpv4(lastPart)
    if (!v4) return null
    last.splice(last.length - 1, 1, ((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16))
  }
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  const nums = all.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN))
  return nums.every((n) => !Number.isNaN(n)) ? nums : null
}
