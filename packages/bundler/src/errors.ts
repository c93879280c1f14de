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
