/**
 * Splits a URL hash into its `key=value` entries: the original's format (`#protocol=webrtc;device=My_Phone;`)
 * and the usual one (`#a=1&b=2`) both work. Parts without `=` are ignored; values are not decoded.
 */
export function hashEntries(hash: string): [string, string][] {
  return hash
    .replace(/^#/, '')
    .split(/[;&]/)
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=')
      return [part.slice(0, at), part.slice(at + 1)]
    })
}
