/** File name of the Worker script written into the caller's `outDir`. */
export const BUNDLE_FILENAME = 'bundle.js'

/**
 * Scheme of the generated entry module (webpack's VirtualUrlPlugin). The entry imports the user's module and
 * assigns its namespace to the Worker global; being virtual, it is never written to disk.
 */
export const VIRTUAL_SCHEME = 'pando-virtual'

/** Characters of a webpack error quoted in a `BundleError` message; the rest stays in `details`. */
export const MAX_QUOTED_ERROR_CHARS = 2_000
