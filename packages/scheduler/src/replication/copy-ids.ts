import { COPY_SLOTS } from '../constants.ts'

/** The job id of copy `copy` (0 to `COPY_SLOTS` − 1) of item `item`. */
export const copyId = (item: number, copy: number): number => item * COPY_SLOTS + copy

/** The item a copy's job id belongs to. */
export const itemOfCopy = (id: number): number => Math.floor(id / COPY_SLOTS)

/** The most copies `--max-replicas` may ask for: one slot is kept for a spot check's copy. */
export const MAX_REPLICAS = COPY_SLOTS - 1
