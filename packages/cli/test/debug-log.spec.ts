import { createLender } from '@pando/scheduler'
import createDebug from 'debug'
import pull from 'pull-stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configureMessages } from '../src/exit.ts'
import { debugMonitoring, withSchedulerDebug } from '../src/monitoring/debug-log.ts'
import { standingsDebugLog } from '../src/monitoring/volunteer-standings.ts'

afterEach(() => {
  createDebug.disable()
  configureMessages({})
  vi.restoreAllMocks()
})

/** What is written to stderr meanwhile, and when the progress line was erased (as `<clear>`). */
function captureStderr(): string[] {
  const written: string[] = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
  configureMessages({ progressLine: { clear: () => written.push('<clear>') } })
  return written
}

describe('DEBUG=pando-computing:*', () => {
  it('writes each line above the progress line, in the debug package’s format', () => {
    createDebug.enable('pando-computing:*')
    createDebug.inspectOpts = { ...createDebug.inspectOpts, colors: false }
    const written = captureStderr()
    debugMonitoring('%s', '{"root":{}}')
    expect(written[0]).toBe('<clear>')
    expect(written[1]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z pando-computing:monitoring \{"root":\{\}\}\n$/)
  })

  it('tells each volunteer’s standing on the trust namespace when it changes, and nothing when it is off', () => {
    const standing = { id: 'v1', agreed: 12, outvoted: 0, caught: 0, failed: 0, timedOut: 0, trusted: true }
    const quiet = captureStderr()
    standingsDebugLog()([standing])
    expect(quiet).toEqual([])
    createDebug.enable('pando-computing:trust')
    createDebug.inspectOpts = { ...createDebug.inspectOpts, colors: false }
    const written = captureStderr()
    const log = standingsDebugLog()
    const liar = { ...standing, id: 'v2', agreed: 0, outvoted: 3, failed: 2, timedOut: 1, trusted: false }
    log([standing, liar])
    // Unchanged: not told again; changed: told.
    log([standing, { ...liar, excluded: 'was outvoted on 3 items: excluded\x1b[2J' }])
    const lines = written.filter((w) => w !== '<clear>').map((w) => w.replace(/^\S+ /, ''))
    expect(lines).toEqual([
      "pando-computing:trust 'v1' agreed 12, outvoted 0, failed 0, trusted\n",
      "pando-computing:trust 'v2' agreed 0, outvoted 3, failed 2 (1 timed out)\n",
      "pando-computing:trust 'v2' agreed 0, outvoted 3, failed 2 (1 timed out), excluded: was outvoted on 3 items: excluded\\x1b[2J\n",
    ])
  })

  it('tells the scheduler’s lending when its namespace is on, and changes nothing when it is off', async () => {
    const plain = createLender()
    expect(withSchedulerDebug(plain)).toBe(plain)
    createDebug.enable('pando-computing:scheduler')
    const written = captureStderr()
    const lender = withSchedulerDebug(createLender())
    pull(
      pull.values([
        { id: 0, value: 'a' },
        { id: 1, value: 'b' },
      ]),
      lender.sink,
    )
    const results = new Promise((resolve) =>
      pull(
        lender.source,
        pull.collect((_, all) => resolve(all)),
      ),
    )
    const sub = lender.lendStream({ credit: 2, name: 'v1' })
    pull(
      sub.source,
      pull.map((jobs) =>
        jobs.map((job) => ({
          id: job.id,
          ok: job.id === 0,
          ...(job.id === 0 ? { result: 'A' } : { error: { name: 'E', message: 'm' } }),
        })),
      ),
      sub.sink,
    )
    await vi.waitFor(() => expect(written.join('')).toContain('v1 answered'))
    const lines = written
      .filter((chunk) => chunk !== '<clear>')
      .map((line) => line.replace(/^\S+ pando-computing:scheduler /, ''))
    expect(lines.slice(0, 3)).toEqual([
      'v1 opened (credit 2)\n',
      'v1 lent 2 items: 0..1\n',
      'v1 answered 2 items (1 failed)\n',
    ])
    sub.close()
    void results
  })
})
