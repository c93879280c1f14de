/**
 * Which addresses ICE candidates may carry through the signaling relay: a safety feature (a run on a
 * laptop need not expose its public address) and what the tests use (loopback only).
 */
export type AddressRange = 'loopback' | 'private' | 'any'

export const ADDRESS_RANGES: readonly AddressRange[] = ['loopback', 'private', 'any']

function ipv4(address: string): number[] | undefined {
  const parts = address.split('.')
  if (parts.length !== 4) return undefined
  const bytes = parts.map(Number)
  return bytes.every((byte, i) => /^\d{1,3}$/.test(parts[i] ?? '') && byte <= 255) ? bytes : undefined
}

function isLoopback(address: string): boolean {
  const bytes = ipv4(address)
  if (bytes !== undefined) return bytes[0] === 127
  return address === '::1' || address === 'localhost'
}

function isPrivate(address: string): boolean {
  const bytes = ipv4(address)
  if (bytes !== undefined) {
    const [a = 0, b = 0] = bytes
    return (
      a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    )
  }
  const lower = address.toLowerCase()
  // fc00::/7 (unique local), fe80::/10 (link local), and mDNS names, which browsers use to hide LAN addresses.
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower) || lower.endsWith('.local')
}

/** Whether `address` (an IP or an mDNS name) lies in `range`. */
export function isAddressInRange(address: string, range: AddressRange): boolean {
  if (range === 'any') return true
  if (isLoopback(address)) return true
  return range === 'private' && isPrivate(address)
}

/** The connection address of an ICE candidate line (`candidate:1 1 udp 2122260223 192.168.1.5 54400 typ host`). */
export function candidateAddress(candidate: string): string | undefined {
  const fields = candidate.replace(/^a=/, '').trim().split(/\s+/)
  return fields[0]?.startsWith('candidate:') ? fields[4] : undefined
}

function allowedLine(line: string, range: AddressRange): boolean {
  if (!line.startsWith('a=candidate:')) return true
  const address = candidateAddress(line)
  return address !== undefined && isAddressInRange(address, range)
}

/**
 * The signal with the ICE candidates outside `range` removed, or `undefined` when the whole signal is such
 * a candidate. Knows simple-peer's signals: SDP offers and answers, and trickled `candidate`s.
 */
export function filterSignal(signal: unknown, range: AddressRange): unknown {
  if (range === 'any' || typeof signal !== 'object' || signal === null) return signal
  const s = signal as Record<string, unknown>
  if (typeof s.sdp === 'string') {
    const lines = s.sdp.split('\r\n').filter((line) => allowedLine(line, range))
    return { ...s, sdp: lines.join('\r\n') }
  }
  const candidate = s.candidate as Record<string, unknown> | undefined
  if (s.type === 'candidate' && typeof candidate?.candidate === 'string') {
    // An empty candidate marks the end of gathering: always let it through.
    if (candidate.candidate === '') return signal
    const address = candidateAddress(candidate.candidate)
    return address !== undefined && isAddressInRange(address, range) ? signal : undefined
  }
  return signal
}
