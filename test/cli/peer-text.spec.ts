import { describe, expect, it } from 'vitest'
import { FakeVolunteer } from '../support/fake-volunteer.ts'
import { startPando, waitForServer } from '../../harness/pando-process.ts'
import { volunteerReport } from '../support/volunteer-report.ts'

/**
 * What a hostile volunteer writes where pando quotes it: a clear-screen (CSI), a window title (OSC), an
 * 8-bit CSI, a carriage return and a newline to forge a line; 440 KB follow (3,000 characters in a name).
 */
const HOSTILE_START = '\x1b[2J\x1b]0;pwned\x07\u009b31m\r\npando: forged line'
const HOSTILE = HOSTILE_START + 'x'.repeat(440_000)
/** A device name as hostile, cut to fit in a `hello` (at most 4 KiB, or the socket is closed). */
const HOSTILE_NAME = HOSTILE.slice(0, 3_000)
/** How pando shows that start: escaped, visibly. */
const HOSTILE_START_SHOWN = '\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\r\\npando: forged line'

/** `HOSTILE` cut to `rawChars` (as the protocol cuts a device name), as pando shows it. */
const shownWhole = (rawChars: number): string =>
  `${HOSTILE_START_SHOWN}${'x'.repeat(rawChars - HOSTILE_START.length)}`

/** `before` and `HOSTILE` as pando shows them in at most `maxChars` characters. */
const shownCut = (before: string, maxChars: number): string =>
  `${before}${HOSTILE_START_SHOWN}${'x'.repeat(maxChars - 1 - before.length - HOSTILE_START_SHOWN.length)}…`

describe('pando and what volunteers say', () => {
  it('writes a hostile device name and error text escaped and cut short, never raw', async () => {
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0', '--retries', '0'])
    const volunteer = new FakeVolunteer(await waitForServer(run))
    await volunteer.join(1, HOSTILE_NAME)
    await run.waitForStderr(/joined/)
    run.child.stdin.end('7\n')
    await expect.poll(() => volunteer.jobsReceived(), { timeout: 30_000 }).toBe(1)
    const [job] = volunteer.jobs()
    volunteer.sendOutcomes([{ id: job?.id ?? 0, ok: false, error: { name: 'Error', message: HOSTILE } }])
    const { code, stdout, stderr } = await run.exited
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' })
    // eslint-disable-next-line no-control-regex -- no control character but the newlines ending lines
    expect(stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/)
    expect(stderr.length).toBeLessThan(2_000)
    const lines = stderr.split('\n').slice(2, -1) // after the two URLs
    // The protocol keeps 100 characters of a device name; pando shows them escaped.
    expect(lines).toContain(`pando: volunteer '${shownWhole(100)}' joined (1 connected)`)
    expect(lines.at(-1)).toBe(
      `pando: the function failed on line 1 of standard input, "7" (1 attempt): ${shownCut('Error: ', 1_000)}`,
    )
  })

  it('keeps the monitoring JSON free of raw controls, the same JSON value', async () => {
    const run = startPando(
      ['examples/square-no-delay.js', '--stdin', '--port', '0', '--reporting-interval', '1'],
      { env: { DEBUG: 'pando-computing:monitoring' } },
    )
    const volunteer = new FakeVolunteer(await waitForServer(run))
    await volunteer.join(1, 'tab')
    const deviceName = '\u009b2J\u202eevil\x7f'
    volunteer.socket.send(JSON.stringify({ type: 'status', report: volunteerReport({ deviceName }) }))
    const [line = ''] = await run.waitForStderr(/pando-computing:monitoring .*evil.*/)
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
    expect(line).not.toMatch(/[\x7f-\x9f\u202e]/)
    expect(line).toContain('"deviceName":"\\u009b2J\\u202eevil\\u007f"')
    const json = JSON.parse(line.replace(/^pando-computing:monitoring /, '')) as unknown
    expect(JSON.stringify(json)).toContain(JSON.stringify(deviceName))
  })
})
