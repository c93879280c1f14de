// A slow reader of pando's output holds it back (issue 6 §4): pando stops reading its input and its memory
// stays bounded, however long the input, then every result comes out once the reader reads.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { seqLines, spawnPando } from '../../harness/pando-process.ts'

const ITEMS = 1_000_000
/** How long the reader waits before it reads anything, in ms. */
const READER_SLEEP_MS = 3_000
/**
 * Items pando may have taken from its input while nobody reads its output: its reorder window (32,768),
 * what the pipes and streams on either side of it buffer (some 64 KiB each, about 10,000 lines), with room.
 */
const MOST_ITEMS_READ = 100_000
/** Memory pando may add while it is held back, above what it had once it started, in MB. */
const MOST_GROWTH_MB = 64

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) / 1024
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('pando writing to a reader that sleeps first', () => {
  it('reads a bounded part of a million items and stays within bounded memory, then writes them all', async () => {
    const child = spawnPando(['examples/square-no-delay.js', '--stdin', '--local'])
    child.stdout.pause()
    let written = 0
    const write = (): void => {
      while (written < ITEMS) {
        if (!child.stdin.write(`${written++}\n`)) {
          child.stdin.once('drain', write)
          return
        }
      }
      child.stdin.end()
    }
    write()
    // Held back: sample its memory while the reader sleeps.
    await sleep(500)
    const started = rssMb(child.pid as number)
    let peak = started
    for (let waited = 500; waited < READER_SLEEP_MS; waited += 100) {
      await sleep(100)
      peak = Math.max(peak, rssMb(child.pid as number))
    }
    expect(written).toBeLessThan(MOST_ITEMS_READ)
    expect(peak - started).toBeLessThan(MOST_GROWTH_MB)
    // The reader wakes up: every result, in order.
    child.stdout.setEncoding('utf8')
    let stdout = ''
    child.stdout.on('data', (chunk: string) => (stdout += chunk))
    child.stdout.resume()
    const [code] = (await once(child, 'close')) as [number | null]
    expect(code).toBe(0)
    expect(written).toBe(ITEMS)
    expect(stdout).toBe(seqLines(0, ITEMS, (n) => String(n * n)))
  }, 60_000)
})
