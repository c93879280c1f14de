// `--item-timeout` through the real CLI: a module stuck in an endless loop on one item, two real tabs.
// With `--local`: test/cli/local.spec.ts.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { seqLines, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const URL_PATTERN = PRINTED_URL
const MODULE = path.join('test', 'e2e', 'fixtures', 'stuck-on-13.cjs')
/** 50 ms an item, and never a result for "x". */
const HANGS_ON_X = path.join('test', 'cli', 'fixtures', 'hangs-on-x.cjs')
const ITEMS = 30
const TIMEOUT_ERROR =
  'ItemTimeoutError: no result within the item deadline of 1000 ms (--item-timeout): the Worker was stopped and replaced'
const FAILURE = new RegExp(
  `the function failed on line 13 of standard input, "13" \\(\\d+ attempts\\): ${TIMEOUT_ERROR.replace(/[()]/g, '\\$&')}\\n`,
)

describe('pando --item-timeout', () => {
  const { browser, startPando } = useVolunteerBrowser()

  /**
   * Runs the module over 1..30 with two tabs and a deadline of 1 s. One retry, not the default two: each
   * attempt at 13 spins a Worker for the whole deadline, a second of processor taken from the other tests.
   */
  async function stuckRun(extra: string[]): Promise<PandoRun> {
    const run = startPando(
      [
        MODULE,
        '--stdin',
        '--port',
        '0',
        '--ice-addresses',
        'loopback',
        '--item-timeout',
        '1000',
        '--retries',
        '1',
        ...extra,
      ],
      { input: seqLines(1, ITEMS + 1) },
    )
    const [url = ''] = await run.waitForStderr(URL_PATTERN)
    await Promise.all([browser.open(url, 'first'), browser.open(url, 'second')])
    return run
  }

  it('with --on-error mark: the marker in place of 13, exact results elsewhere, status 1', async () => {
    const { exited } = await stuckRun(['--on-error', 'mark', '--error-marker', 'STUCK'])
    const { stdout, stderr, code } = await exited
    expect(stdout).toBe(seqLines(1, ITEMS + 1, (n) => (n === 13 ? 'STUCK' : String(n * n))))
    expect(stderr).toMatch(new RegExp(`pando: marked: ${FAILURE.source}`))
    expect(stderr).toContain(
      'pando: 1 item failed and was marked "STUCK" (--on-error mark): every other result was written\n',
    )
    expect(code).toBe(1)
    const timedOut = await Promise.all(
      browser.context.pages().map(async (page) => Number(await page.textContent('#timed-out'))),
    )
    expect(timedOut.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1)
  })

  it('with --on-error abort (the default): the results before 13, then its error, status 1', async () => {
    const { exited } = await stuckRun([])
    const { stdout, stderr, code } = await exited
    expect(stdout).toBe(seqLines(1, 13, (n) => String(n * n)))
    expect(stderr).toMatch(new RegExp(`pando: ${FAILURE.source}`))
    expect(code).toBe(1)
  })

  it('300% over the WebSocket: the tab measures its items and gives up the one that never settles', async () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'g', 'h']
    const run = startPando(
      [HANGS_ON_X, '--port', '0', '--batch-size', '1', '--item-timeout', '300%', '--retries', '0'].concat([
        '--on-error',
        'mark',
        '--error-marker',
        'GIVEN-UP',
        ...items,
      ]),
    )
    const [url = ''] = await run.waitForStderr(URL_PATTERN)
    const page = await browser.context.newPage()
    await page.goto(`${url}#protocol=websocket;workers=1`)
    const { stdout, stderr, code } = await run.exited
    expect(stdout).toBe('a\nb\nc\nd\ne\nf\nGIVEN-UP\ng\nh\n')
    // 50 ms items: 300% of their median is under the floor of 1 s.
    expect(stderr).toContain(
      'pando: marked: the function failed on item 7 of the command line, "x" (1 attempt): ItemTimeoutError: no ' +
        'result within the item deadline of 1000 ms (--item-timeout): the Worker was stopped and replaced\n',
    )
    expect(code).toBe(1)
    expect(await page.textContent('#transport')).toBe('WebSocket')
  })
})
