// Items and results of any size: the real `pando` with two Chromium tabs in a WebRTC tree of degree 1 (the
// second tab under the first), items and results of 1 MB (four times what one data-channel message of
// Chromium carries) that travel in chunks over both links, and one item larger than any link carries:
// reported as a transport limit, never sent, the run going on around it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_LINK_ITEM_CHARS } from '@pando/protocol'
import { startPando, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

const MEGABYTE = 1_000_000
/**
 * After 200 ms (so that both tabs get items): `result:N` gives N characters of `r`; any other item gives its
 * first characters and its length.
 */
const SIZES = `module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(() => {
    if (x.startsWith('result:')) cb(null, 'r'.repeat(Number(x.slice(7))))
    else cb(null, x.slice(0, 3) + ' is ' + x.length + ' characters')
  }, 200)
}
`
const BIG_ITEMS = 8

/** The items: 1 MB items and items whose results are 1 MB, one after the other. */
function items(): string[] {
  const lines: string[] = []
  for (let n = 0; n < BIG_ITEMS; n++) {
    lines.push(`${String(n)}:${'i'.repeat(MEGABYTE)}`.slice(0, MEGABYTE), `result:${String(MEGABYTE)}`)
  }
  return lines
}

const depthOf = async (page: Page): Promise<number> => Number(await page.textContent('#depth'))

describe('items and results larger than a data-channel message', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined
  let modules: string

  beforeAll(async () => {
    modules = mkdtempSync(path.join(tmpdir(), 'pando-large-items-'))
    writeFileSync(path.join(modules, 'sizes.js'), SIZES)
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL')
    await browser.close()
    rmSync(modules, { recursive: true, force: true })
  })

  it('carries 1 MB items and results through a tab under a tab, and reports a larger item as a transport limit', async () => {
    run = startPando([
      path.join(modules, 'sizes.js'),
      '--stdin',
      '--port',
      '0',
      '--degree',
      '1',
      '--batch-size',
      '1',
      '--on-error',
      'mark',
      '--error-marker',
      'TOO LARGE',
      '--ice-addresses',
      'loopback',
    ])
    const [url = ''] = await run.waitForStderr(PRINTED_URL)
    const upper = await browser.open(url)
    await upper.waitForFunction(() => document.querySelector('#depth')?.textContent === '1', undefined, {
      timeout: 30_000,
    })
    const lower = await browser.open(url)
    await lower.waitForFunction(() => document.querySelector('#depth')?.textContent === '2', undefined, {
      timeout: 30_000,
    })
    expect(await depthOf(upper)).toBe(1)
    expect(await lower.textContent('#transport')).toMatch(/webrtc/i)

    const oversize = 'o'.repeat(MAX_LINK_ITEM_CHARS + 1)
    const lines = [...items(), oversize, 'small']
    run.child.stdin.end(lines.map((line) => `${line}\n`).join(''))
    const result = await run.exited

    const expected = [
      ...Array.from({ length: BIG_ITEMS }, (_, n) => [
        `${String(n)}:i is ${String(MEGABYTE)} characters`,
        'r'.repeat(MEGABYTE),
      ]).flat(),
      'TOO LARGE',
      'sma is 5 characters',
    ]
    expect(result.stdout === `${expected.join('\n')}\n`).toBe(true)
    expect(result.code).toBe(1)
    const limit = String(MAX_LINK_ITEM_CHARS)
    expect(result.stderr).toContain(
      `pando: marked: a transport limit on line ${String(2 * BIG_ITEMS + 1)} of standard input, "ooooo`,
    )
    expect(result.stderr).toContain(
      `(never sent, not a failure of the function): the item is ${String(MAX_LINK_ITEM_CHARS + 3)} characters of JSON; ` +
        `a link to a volunteer carries at most ${limit}\n`,
    )
    expect(result.stderr).not.toMatch(/the function failed/)
    expect(result.stderr).toMatch(/^pando: 1 item failed and was marked/m)
    // The tab under the other computed some of the large items too: both links carried chunks.
    const computed = Number((await lower.textContent('#processed'))?.replace(/,/g, ''))
    expect(computed).toBeGreaterThan(0)
  })
})
