/**
 * The most copies of one item (`--max-replicas`): each copy is a job of its own to the lender, with the id
 * `item × COPY_SLOTS + copy`, so an item's copies never share an id on any node of the tree.
 */
export const COPY_SLOTS = 64

/** The job id of copy `copy` (0 to `COPY_SLOTS` − 1) of item `item`. */
export const copyId = (item: number, copy: number): number => item * COPY_SLOTS + copy

/** The item a copy's job id belongs to. */
export const itemOfCopy = (id: number): number => Math.floor(id / COPY_SLOTS)

/** The most copies `--max-replicas` may ask for: one slot is kept for a spot check's copy. */
export const MAX_REPLICAS = COPY_SLOTS - 1
