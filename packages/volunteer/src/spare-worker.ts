/** What a spare needs of a Worker: to be ended when nobody takes it. */
export interface Terminable {
  terminate(): void
}

/**
 * One Worker started ahead of need: the page starts it, with the module loading, as soon as it knows the
 * bundle's URL, while it is still joining; the first Worker queue that runs that bundle takes it, and its first
 * items wait for no Worker start-up and no module load. Any other start is a fresh Worker.
 */
export class SpareWorker<W extends Terminable> {
  readonly #start: (bundleUrl: string) => Promise<W>
  #spare: { readonly bundleUrl: string; readonly worker: Promise<W> } | undefined

  constructor(start: (bundleUrl: string) => Promise<W>) {
    this.#start = start
  }

  /** Starts the spare, unless there is one already. */
  prestart(bundleUrl: string): void {
    if (this.#spare !== undefined) return
    const worker = this.#start(bundleUrl)
    worker.catch(() => undefined) // the queue that takes it hears of a failed load
    this.#spare = { bundleUrl, worker }
  }

  /** The spare if it runs `bundleUrl` (once), else a new Worker; a spare for another bundle is ended. */
  take(bundleUrl: string): Promise<W> {
    const spare = this.#spare
    this.#spare = undefined
    if (spare?.bundleUrl === bundleUrl) return spare.worker
    spare?.worker.then((worker) => worker.terminate()).catch(() => undefined)
    return this.#start(bundleUrl)
  }
}
