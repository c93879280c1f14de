import { createHash } from 'node:crypto'

/**
 * A short hash of an item's input, by which a resume checks it reads the same input as the journaled run:
 * the first 96 bits of its SHA-256, in base64url.
 */
export function inputHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16)
}
