import { randomUUID } from 'node:crypto'
import { createSeededRandom, randomId, type Random } from '@pando/overlay'

/**
 * The ids a root or a server gives. With `--seed N` each comes from its own seeded stream, so the n-th
 * of each kind is the same on every run with that seed, whatever the order in which kinds interleave:
 * - `origin()`: the signaling relay's id for each join attempt (`pando-server`, or `pando`'s in-process
 *   server), in the order the attempts' WebSockets open;
 * - `volunteerId()`: the id the root gives each WebSocket volunteer in its `welcome`, in the order their
 *   connections reach the root;
 * - `treeRandom`: what the root's tree node draws from, which gives the root's own id in the tree (the
 *   parent id its children show).
 * Tabs draw their own ids in their browsers: no seed reaches them. Seeded ids are predictable, so `--seed`
 * is for experiments and tests, not for a public server.
 */
export interface RunIds {
  readonly origin?: () => string
  readonly volunteerId: () => string
  readonly treeRandom?: Random
}

/** The streams of each kind of id, for `seed` (a 32-bit unsigned integer). */
const STREAMS = { origin: 0x6f726967, volunteer: 0x766f6c75, tree: 0x74726565 } as const

/** Seeded ids for `seed`, or random ones (UUIDs, `Math.random`) without a seed. */
export function createRunIds(seed: number | undefined): RunIds {
  if (seed === undefined) return { volunteerId: randomUUID }
  const stream = (salt: number): Random => createSeededRandom((seed ^ salt) >>> 0)
  const origins = stream(STREAMS.origin)
  const volunteers = stream(STREAMS.volunteer)
  return {
    origin: () => randomId(origins),
    volunteerId: () => randomId(volunteers),
    treeRandom: stream(STREAMS.tree),
  }
}
