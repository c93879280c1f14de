import type { Clock } from './clock.ts'

interface Entry {
  slot: number
  expires: number
}

/**
 * Where a node sent each join attempt it delegated (origin → child slot), so that every later signal of
 * the attempt takes the same way. Bounded and expiring: an entry lives `ttlMs` after its last use, and a
 * full table refuses new entries (the caller then routes by the hash, which needs none).
 *
 * Entries are kept in a `Map` in order of last use; since they share one TTL, the expired ones are at the
 * front, and a sweep stops at the first live one.
 */
export class RoutingTable {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size
  }

  /** The slot `origin` was sent to, if the entry is live; using it extends its life. */
  lookup(origin: string): number | undefined {
    const entry = this.entries.get(origin)
    if (entry === undefined) return undefined
    const now = this.clock.now()
    this.entries.delete(origin)
    if (entry.expires <= now) return undefined
    entry.expires = now + this.ttlMs
    this.entries.set(origin, entry)
    return entry.slot
  }

  /** Remembers that `origin` went to `slot`. Returns false (and remembers nothing) when full. */
  remember(origin: string, slot: number): boolean {
    this.entries.delete(origin)
    if (this.entries.size >= this.capacity) this.sweep()
    if (this.entries.size >= this.capacity) return false
    this.entries.set(origin, { slot, expires: this.clock.now() + this.ttlMs })
    return true
  }

  /** Forgets `origin`. */
  forget(origin: string): void {
    this.entries.delete(origin)
  }

  /** Forgets every entry that points to `slot` (its child left). */
  forgetSlot(slot: number): void {
    for (const [origin, entry] of this.entries) if (entry.slot === slot) this.entries.delete(origin)
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear()
  }

  private sweep(): void {
    const now = this.clock.now()
    for (const [origin, entry] of this.entries) {
      if (entry.expires > now) return
      this.entries.delete(origin)
    }
  }
}
