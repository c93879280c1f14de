/** The original Pando's debug namespace for the monitoring status, kept so its users' scripts still work. */
export const MONITORING_NAMESPACE = 'pando-computing:monitoring'

/**
 * Whether `namespace` is enabled by a `DEBUG` value in the `debug` package's syntax: names separated by
 * commas or spaces, `*` as a wildcard, a leading `-` to exclude.
 */
export function isDebugEnabled(namespace: string, debug: string | undefined): boolean {
  let enabled = false
  for (const pattern of (debug ?? '').split(/[\s,]+/).filter((p) => p !== '')) {
    const excluded = pattern.startsWith('-')
    const glob = excluded ? pattern.slice(1) : pattern
    const regexp = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`)
    if (!regexp.test(namespace)) continue
    if (excluded) return false
    enabled = true
  }
  return enabled
}
