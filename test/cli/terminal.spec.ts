import { describe, expect, it } from 'vitest'
import { runInPseudoTerminal, screenLines } from '../support/pseudo-terminal.ts'

/** The summary line of a local run of `items` items without failures. */
const localSummary = (items: number): RegExp =>
  new RegExp(`^pando: ${items} items in \\d+:\\d\\d · \\d+(\\.\\d)? items/s · 0 retries · 0 failures$`)

describe('screenLines', () => {
  it('shows what a terminal shows: \\r goes back, erase-line erases, later characters overwrite', () => {
    expect(screenLines('abc\r\x1b[2Kxy\r\nline\r\n\r\x1b[2Kpando: 1/2\r\x1b[2K')).toEqual(['xy', 'line'])
    expect(screenLines('pando: 0/3 done · 0:01' + '1\r\n')).toEqual(['pando: 0/3 done · 0:011'])
  })
})

describe.concurrent('pando on a terminal (a pseudo-terminal)', () => {
  it('shows the results, never glued to the progress line, then the summary line', async () => {
    const run = await runInPseudoTerminal(
      ['examples/square-delay.js', '--local', '--reporting-interval', '1', '1', '2', '3', '4', '5'],
      { SQUARE_DELAY_MS: '700' },
    )
    expect(run.code).toBe(0)
    // The progress line was drawn while items were computed…
    // eslint-disable-next-line no-control-regex -- the erase-line sequence is what it is about
    expect(run.raw).toMatch(/\r\x1b\[2Kpando: \d\/5 done · \d+ items\/s · (ETA \d+:\d\d · )?\d+:\d\d/)
    // …and erased before each result and at the end: each result is a line of its own.
    expect(run.screen.slice(0, -1)).toEqual(['1', '4', '9', '16', '25'])
    expect(run.screen.at(-1)).toMatch(localSummary(5))
  })

  it('shows neither the progress line nor the summary with --no-progress', async () => {
    const run = await runInPseudoTerminal(
      ['examples/square-delay.js', '--local', '--no-progress', '--reporting-interval', '1', '1', '2', '3'],
      { SQUARE_DELAY_MS: '700' },
    )
    expect(run.code).toBe(0)
    expect(run.raw).toBe('1\r\n4\r\n9\r\n')
  })

  it('shows neither with --quiet', async () => {
    const run = await runInPseudoTerminal(['examples/square-no-delay.js', '--local', '--quiet', '1', '2'])
    expect(run.code).toBe(0)
    expect(run.raw).toBe('1\r\n4\r\n')
  })

  it('writes the summary, then the failure, each on a line of its own', async () => {
    const run = await runInPseudoTerminal(['examples/error.js', '--local', '5', '6', '7', '8'])
    expect(run.code).toBe(1)
    expect(run.screen).toEqual([
      '25',
      '36',
      expect.stringMatching(/^pando: 3 items in \d+:\d\d · \d+(\.\d)? items\/s · 0 retries · 3 failures$/),
      'pando: the function failed on item 3 of the command line, "7" (3 attempts): Error: 7 is a multiple of 7',
    ])
  })
})

describe('DEBUG=pando-computing:* on a terminal', () => {
  it('writes each debug line above the progress line, never over it or glued to it', async () => {
    const run = await runInPseudoTerminal(
      ['examples/square-delay.js', '--local', '--reporting-interval', '1', '1', '2', '3'],
      { SQUARE_DELAY_MS: '700', DEBUG: 'pando-computing:scheduler', DEBUG_COLORS: 'no' },
    )
    expect(run.code).toBe(0)
    // eslint-disable-next-line no-control-regex -- the erase-line sequence is what it is about
    expect(run.raw).toMatch(/\r\x1b\[2Kpando: \d\/3 done/)
    const debug =
      /^\d{4}-\d\d-\d\dT[\d:.]+Z pando-computing:scheduler local (opened|lent|answered|closed)[^·]*$/
    const screen = run.screen.slice(0, -1)
    for (const line of screen) expect(line).toMatch(new RegExp(`^(1|4|9)$|${debug.source}`))
    expect(screen.filter((line) => /^\d+$/.test(line))).toEqual(['1', '4', '9'])
    expect(screen.filter((line) => / local lent /.test(line))).toHaveLength(3)
    expect(run.screen.at(-1)).toMatch(localSummary(3))
  })
})
