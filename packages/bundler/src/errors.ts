/**
 * The user's module could not be bundled: the file is missing, it does not parse, or an import cannot be
 * resolved. The message names the module and quotes webpack's first error.
 */
export class BundleError extends Error {
  static override readonly name = 'BundleError'
  /** Every error webpack reported, as text, first one first. */
  readonly details: readonly string[]

  constructor(message: string, details: readonly string[] = [], options?: ErrorOptions) {
    super(message, options)
    this.name = 'BundleError'
    this.details = details
  }
}

/**
 * The bundle could not be written: the system refused (no space left, no permission, too many open files).
 * Not the module's fault: the message names the directory and the system's error, whose code is `code`.
 */
export class BundleWriteError extends Error {
  static override readonly name = 'BundleWriteError'
  /** The system's error code, e.g. `ENOSPC`. */
  readonly code: string
  /** The directory the bundle was to be written to. */
  readonly outDir: string

  constructor(message: string, code: string, outDir: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BundleWriteError'
    this.code = code
    this.outDir = outDir
  }
}
