import { describe, expect, it } from 'vitest'
import { runInPseudoTerminal } from '../support/pseudo-terminal.ts'

describe('pando with a volunteer tab, on a terminal (a pseudo-terminal)', () => {
  it('shows the URLs, the join, the results each on its own line, then the summary, and no alarm', async () => {
    const run = await runInPseudoTerminal(
      [
        'examples/square-delay.js',
        '--volunteers',
        '1',
        '--port',
        '0',
        '--reporting-interval',
        '1',
        '1',
        '2',
        '3',
      ],
      { SQUARE_DELAY_MS: '700' },
    )
    expect(run.code).toBe(0)
    const url = String.raw`http://127\.0\.0\.1:\d+`
    expect(run.screen).toEqual([
      expect.stringMatching(new RegExp(`^pando: volunteers can join at ${url}/\\?token=[\\w-]{32}$`)),
      expect.stringMatching(new RegExp(`^pando: the dashboard is at ${url}/monitor/\\?token=[\\w-]{32}$`)),
      "pando: volunteer 'tab-1' joined (1 connected)",
      '1',
      '4',
      '9',
      expect.stringMatching(
        /^pando: 3 items in \d+:\d\d · \d+\.\d items\/s · 1 volunteer · 0 retries · 0 failures$/,
      ),
    ])
    // While the tab computed, the progress line counted it.
    expect(run.raw).toMatch(/pando: \d\/3 done · \d+ items\/s · 1 volunteer · /)
  })
})
