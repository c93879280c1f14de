/**
 * Runs `round` until a round asks for no other, never re-entering itself: a call to {@link run} made while
 * it runs (from a callback a round made) only asks for one more round, so synchronous pull-streams run in a
 * loop, not a growing stack.
 */
export class RerunningLoop {
  readonly #round: () => void
  #running = false
  #again = false

  constructor(round: () => void) {
    this.#round = round
  }

  /** Runs rounds now; or, when called from inside a round, asks for one more. */
  run(): void {
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    try {
      do {
        this.#again = false
        this.#round()
      } while (this.#again)
    } finally {
      this.#running = false
    }
  }

  /** Asks for one more round, from inside a round (something it did may let the next one do more). */
  again(): void {
    this.#again = true
  }
}
