/** What the lender closes a sub-stream with when it fails far more items than the others (see SPEC 44). */
export class DiscreditedError extends Error {
  constructor(sub: { readonly failed: number; readonly disproved: number; readonly succeeded: number }) {
    super(
      `failed ${String(sub.failed)} items (${String(sub.disproved)} of them computed by other volunteers) and computed ${String(sub.succeeded)}: dropped`,
    )
    this.name = 'DiscreditedError'
  }
}
