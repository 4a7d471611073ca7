import ipaddr from 'ipaddr.js'

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
  if (v6)
    return `${v6
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(':')}::`
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

/** An address as a client or proxy reports it, strictly (dotted-quad IPv4 or IPv6, brackets allowed); else null. */
export function parseIp(value: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = value.trim().replace(/^\[(.*)\]$/, '$1')
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare)
  if (!bare.includes(':') || !ipaddr.IPv6.isValid(bare)) return null
  const v6 = ipaddr.IPv6.parse(bare)
  // ::ffff:192.0.2.1 is the IPv4 client it carries.
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
}

/**
 * What the per-IP rate limits count: an IPv4 address, or an IPv6 client's /64 (one subscriber's network:
 * rotating addresses inside it is free, so counting them apart would be no limit at all).
 */
export function limitPrefix(ip: string): string | null {
  const address = parseIp(ip)
  if (!address) return null
  if (address.kind() === 'ipv4') return address.toString()
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16))
  return `${parts.join(':')}::/64`
}

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6
export type IpRange = [IpAddress, number]

/** A CIDR range or a single address (its /32 or /128); null when it is neither. */
export function parseRange(value: string): IpRange | null {
  const text = value.trim()
  if (text.includes('/')) {
    try {
      const [address, bits] = ipaddr.parseCIDR(text)
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96]
      }
      return [address, bits]
    } catch {
      return null
    }
  }
  const address = parseIp(text)
  return address ? [address, address.kind() === 'ipv4' ? 32 : 128] : null
}

export function inRanges(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly IpRange[]): boolean {
  return ranges.some(([base, bits]) =>
    address.kind() === 'ipv4'
      ? base.kind() === 'ipv4' && (address as ipaddr.IPv4).match(base, bits)
      : base.kind() === 'ipv6' && (address as ipaddr.IPv6).match(base, bits),
  )
}
