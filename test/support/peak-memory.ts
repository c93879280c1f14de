import { readFileSync } from 'node:fs'

/** How often the peak is read, in ms. */
const POLL_MS = 100

/** The peak resident set of process `pid` so far, in MB (`VmHWM` of /proc/PID/status); undefined once it has gone. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? undefined : Number(match[1]) / 1024
  } catch {
    return undefined
  }
}

/** A watch of a process's peak resident set: the last reading before it exited (the peak only grows). */
export interface PeakMemoryWatch {
  /** The highest peak read so far, in MB. */
  readonly peakMb: () => number
  stop(): void
}

/**
 * Reads `pid`'s peak resident set every {@link POLL_MS} until it exits, and calls `onOver` once if it passes
 * `limitMb` (so that a test can stop a runaway process long before it takes the machine's memory).
 */
export function watchPeakMemory(
  pid: number,
  limitMb: number,
  onOver: (peakMb: number) => void,
): PeakMemoryWatch {
  let peak = 0
  let over = false
  const timer = setInterval(() => {
    const now = peakRssMb(pid)
    if (now === undefined) return
    peak = Math.max(peak, now)
    if (peak > limitMb && !over) {
      over = true
      onOver(peak)
    }
  }, POLL_MS)
  return { peakMb: () => peak, stop: () => clearInterval(timer) }
}
