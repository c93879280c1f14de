/** File name of the Worker script written into the caller's `outDir`. */
export const BUNDLE_FILENAME = 'bundle.js'

/**
 * Scheme of the generated entry module (webpack's VirtualUrlPlugin). The entry imports the user's module and
 * assigns its namespace to the Worker global; being virtual, it is never written to disk.
 */
export const VIRTUAL_SCHEME = 'pando-virtual'

/** Characters of a webpack error quoted in a `BundleError` message; the rest stays in `details`. */
export const MAX_QUOTED_ERROR_CHARS = 2_000

/** The layout of a cached bundle's manifest (`bundle-cache.ts`): a cache of another layout is bundled anew. */
export const BUNDLE_CACHE_FORMAT = 1

/** A cached bundle unused for this long is removed (checked whenever a bundle is stored): 30 days. */
export const BUNDLE_CACHE_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000
