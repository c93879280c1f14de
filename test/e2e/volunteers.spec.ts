import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { startDelayProxy } from '../../harness/delay-proxy.ts'
import { descendants } from '../../harness/process-tree.ts'
import { seqLines, startPando, type PandoRun, PRINTED_URL } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const URL_PATTERN = PRINTED_URL

/** A TCP port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
const example = (name: string): string => path.join('examples', name)

describe('pando with volunteers in browser tabs', () => {
  const rig = useVolunteerBrowser({ checkCsp: true })
  const { browser } = rig

  const startRoot = async (args: string[], input?: string): Promise<{ run: PandoRun; url: string }> => {
    const run = rig.startPando([...args, '--port', '0'], input === undefined ? {} : { input })
    const [url] = await run.waitForStderr(URL_PATTERN)
    return { run, url }
  }

  const processedCounts = (): Promise<number[]> =>
    Promise.all(browser.context.pages().map(async (page) => Number(await page.textContent('#processed'))))

  it('gives the exact squares of 0..499 in order with 3 tabs, and each tab shows its name and count', async () => {
    // The items come once every tab has joined, so that each gets some.
    const { run, url } = await startRoot([example('square-delay.js'), '--stdin', '--batch-size', '4'])
    const tabs = await Promise.all(['Alice', 'Bob', 'Carol'].map((name) => browser.open(url, name)))
    await Promise.all(
      tabs.map((tab) =>
        tab.waitForFunction(() => Number(document.querySelector('#depth')?.textContent) >= 1),
      ),
    )
    run.child.stdin.end(seqLines(0, 500))
    const { code } = await run.exited
    expect(run.stdout()).toBe(seqLines(0, 500, (n) => String(n * n)))
    expect(code).toBe(0)
    const pages = browser.context.pages()
    const names = await Promise.all(pages.map((page) => page.inputValue('#device-name')))
    expect(names.sort()).toEqual(['Alice', 'Bob', 'Carol'])
    // The pages show their counts within half a second (BUSY_VIEW_INTERVAL), later on a busy machine.
    await expect
      .poll(async () => (await processedCounts()).reduce((a, b) => a + b, 0), { timeout: 5_000 })
      .toBe(500)
    const counts = await processedCounts()
    for (const count of counts) expect(count).toBeGreaterThan(0)
  })

  it('serves a far volunteer: a tab 100 ms away (behind a delaying proxy) gives the exact output', async () => {
    const { run, url } = await startRoot([example('square-delay.js'), '--stdin'], seqLines(0, 200))
    const proxy = await startDelayProxy(Number(new URL(url).port), 50)
    try {
      await browser.open(
        `http://localhost:${String(proxy.port)}/${new URL(url).search}#protocol=websocket;device=Far;`,
      )
      const { code } = await run.exited
      expect(run.stdout()).toBe(seqLines(0, 200, (n) => String(n * n)))
      expect(code).toBe(0)
      expect(run.stderr()).toContain(`pando: volunteer 'Far' joined (1 connected)`)
    } finally {
      await proxy.close()
    }
  })

  it('serves volunteers that use the WebSocket (#protocol=websocket), and names them as they join', async () => {
    const { run, url } = await startRoot([example('square-delay.js'), '--stdin'], seqLines(0, 200))
    await browser.open(`${url}#protocol=websocket;device=Dora;`)
    const { code } = await run.exited
    expect(run.stdout()).toBe(seqLines(0, 200, (n) => String(n * n)))
    expect(code).toBe(0)
    expect(run.stderr()).toContain(`pando: volunteer 'Dora' joined (1 connected)`)
    const [page] = browser.context.pages()
    expect(await page?.textContent('#transport')).toMatch(/websocket/i)
    // The page shows its counts within half a second (BUSY_VIEW_INTERVAL), later on a busy machine.
    await expect.poll(() => page?.textContent('#processed'), { timeout: 5_000 }).toBe('200')
  })

  it('keeps the output exact when a tab closes mid-run and another joins later', async () => {
    // The input comes in two halves, the second once the late tab works, so that it gets items too.
    const { run, url } = await startRoot([example('square-delay.js'), '--stdin'])
    run.child.stdin.write(seqLines(0, 200))
    const first = await browser.open(url, 'leaving')
    await browser.open(url, 'staying')
    await run.waitForLines(50)
    await first.close()
    await run.waitForLines(150)
    const late = await browser.open(url, 'late')
    await late.waitForSelector('#transport:not(:empty)', { state: 'attached' })
    await late.waitForFunction(() => document.querySelector('#depth')?.textContent?.trim() === '1')
    run.child.stdin.end(seqLines(200, 400))
    const { code } = await run.exited
    expect(run.stdout()).toBe(seqLines(0, 400, (n) => String(n * n)))
    expect(code).toBe(0)
    await expect.poll(async () => Number(await late.textContent('#processed'))).toBeGreaterThan(0)
  })

  it('retries an item whose function fails, then names it and exits 1', async () => {
    const { run, url } = await startRoot([example('error.js'), '--stdin'], seqLines(1, 20))
    await Promise.all([browser.open(url), browser.open(url)])
    const { code } = await run.exited
    expect(code).toBe(1)
    expect(run.stderr()).toMatch(
      /the function failed on line 7 of standard input, "7" \(3 attempts\): Error: 7 is a multiple of 7/,
    )
    expect(run.stdout()).toBe(seqLines(1, 7, (n) => String(n * n)))
  })

  it('runs an original-form module with an npm dependency in the browser', async () => {
    const { run, url } = await startRoot([example('collatz.js'), '1', '27', '97', '871'])
    await browser.open(url)
    const { code } = await run.exited
    expect(code).toBe(0)
    expect(run.stdout()).toBe('0\n111\n118\n178\n')
  })

  it('runs a modern ESM module in the browser', async () => {
    const { run, url } = await startRoot([example('square-modern.mjs'), '3', '4'])
    await browser.open(url)
    const { code } = await run.exited
    expect(code).toBe(0)
    expect(run.stdout()).toBe('9\n16\n')
  })
  // Each run has its own token: a tab comes back by itself to the next run only of a server that has none
  // (--open), or of a pando-server (its token lasts as long as it does).
  it('a tab reconnects by itself when the root restarts, and works for the new root (--open)', async () => {
    const port = await freePort()
    const first = rig.startPando([example('square-no-delay.js'), '--stdin', '--port', String(port), '--open'])
    await first.waitForStderr(/volunteers can join at http:\/\/localhost:\d+\/[\n ]/)
    const tab = await browser.open(`http://localhost:${port}/`, 'faithful')
    first.child.stdin.end(seqLines(0, 10))
    expect((await first.exited).stdout).toBe(seqLines(0, 10, (n) => String(n * n)))
    const second = rig.startPando(
      [example('square-no-delay.js'), '--stdin', '--port', String(port), '--open'],
      {
        input: seqLines(10, 20),
      },
    )
    const result = await second.exited
    expect(result.stdout).toBe(seqLines(10, 20, (n) => String(n * n)))
    await expect.poll(async () => Number(await tab.textContent('#processed'))).toBe(20)
  })
})

describe('pando --volunteers', () => {
  it('opens its own headless tabs and gives the exact output', async () => {
    const run = startPando([example('square-no-delay.js'), '--stdin', '--port', '0', '--volunteers', '2'], {
      input: seqLines(0, 1000),
    })
    const { code } = await run.exited
    expect(run.stdout()).toBe(seqLines(0, 1000, (n) => String(n * n)))
    expect(code).toBe(0)
  })

  it.runIf(process.platform === 'linux')(
    "opens them without headless Chromium's omnibox renderer, which would work at every tab opened",
    async () => {
      const run = startPando([example('square-no-delay.js'), '--stdin', '--port', '0', '--volunteers', '1'])
      await run.waitForStderr(/pando: volunteer '[^']+' joined \(1 connected\)/)
      const commandLines = [...descendants(run.child.pid as number)].map((pid) => {
        try {
          return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
        } catch {
          return '' // ended meanwhile
        }
      })
      // The tab's renderer is there (the check looks at the right processes), the omnibox's is not.
      expect(commandLines.some((line) => line.includes('--type=renderer'))).toBe(true)
      expect(commandLines.filter((line) => line.includes('--top-chrome-webui'))).toEqual([])
      run.child.stdin.end(seqLines(0, 10))
      const { code } = await run.exited
      expect(run.stdout()).toBe(seqLines(0, 10, (n) => String(n * n)))
      expect(code).toBe(0)
    },
  )
})
