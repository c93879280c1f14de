import { createHash, timingSafeEqual } from 'node:crypto'
import { MAX_TRACKED_ADDRESSES } from './constants.ts'
import { limitKey } from './join-relay.ts'

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Whether `given` is the `expected` secret, in a time that depends on neither: both are hashed to 32
 * bytes first (so their lengths do not leak either), then compared with `timingSafeEqual`.
 */
export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

export interface GuessLimiterOptions {
  /** Wrong secrets one address may try within `windowMs`; then it is refused until the window ends. */
  readonly maxFailures: number
  /** The window, in ms. */
  readonly windowMs: number
  /** @default Date.now */
  readonly now?: () => number
}

/**
 * Counts wrong secrets per address (an IPv6 one by its /64, see `limitKey`) over a fixed window, so a guesser is refused after a few tries; the
 * delay before each refusal (see `WRONG_SECRET_DELAY_MS`) slows every try on top of that.
 */
export class GuessLimiter {
  readonly #options: GuessLimiterOptions
  readonly #failures = new Map<string, { count: number; since: number }>()

  constructor(options: GuessLimiterOptions) {
    this.#options = options
  }

  /** Whether `address` has used up its tries for now. */
  blocked(address: string): boolean {
    const entry = this.#current(limitKey(address))
    return entry !== undefined && entry.count >= this.#options.maxFailures
  }

  /** `address` gave a wrong secret. */
  failed(address: string): void {
    if (this.#failures.size >= MAX_TRACKED_ADDRESSES) {
      for (const known of [...this.#failures.keys()]) this.#current(known)
    }
    const key = limitKey(address)
    const entry = this.#current(key)
    if (entry === undefined) this.#failures.set(key, { count: 1, since: this.#now() })
    else entry.count++
  }

  #current(address: string): { count: number; since: number } | undefined {
    const entry = this.#failures.get(address)
    if (entry !== undefined && this.#now() - entry.since >= this.#options.windowMs) {
      this.#failures.delete(address)
      return undefined
    }
    return entry
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}
