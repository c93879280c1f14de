// A web page of another origin, opened in a browser of the LAN (here, the same Chromium as the volunteers),
// tries to use a run: read its bundle (by fetch and by <script src>), read the dashboard's feed, and join as a
// volunteer. Even knowing the token (a URL seen over a shoulder), it is refused everything, while the real
// volunteers, which opened the printed URL, compute the run to its exact end.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seqLines, startPando, waitForServer, type PandoRun } from '../../harness/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

/** The foreign page: it records, in `window.attempts`, what each attempt came to. */
function attackPage(target: string, token: string): string {
  return `<!doctype html>
<title>another origin</title>
<script>
  const target = ${JSON.stringify(target)}
  const ws = target.replace(/^http/, 'ws')
  const token = ${JSON.stringify(token)}
  window.attempts = {}
  const settle = (name, outcome) => { window.attempts[name] ??= outcome }
  fetch(target + '/run/bundle.js?token=' + token)
    .then((response) => response.text())
    .then((text) => settle('fetch', 'read ' + text.length + ' characters'), () => settle('fetch', 'refused'))
  const script = document.createElement('script')
  script.src = target + '/run/bundle.js?token=' + token
  script.onload = () => settle('script', 'loaded: pandoModule is ' + typeof self.pandoModule)
  script.onerror = () => settle('script', 'refused')
  document.head.append(script)
  const feed = new WebSocket(ws + '/monitor/feed?token=' + token)
  feed.onmessage = (event) => settle('feed', 'read ' + String(event.data).slice(0, 40))
  feed.onclose = () => settle('feed', 'refused')
  const volunteer = new WebSocket(ws + '/volunteer?token=' + token)
  volunteer.onopen = () =>
    volunteer.send(JSON.stringify({ type: 'hello', protocolVersion: 1, deviceName: 'intruder' }))
  volunteer.onmessage = (event) => settle('volunteer', 'joined: ' + String(event.data).slice(0, 40))
  volunteer.onclose = () => settle('volunteer', 'refused')
</script>`
}

/** Serves one page on 127.0.0.2: another origin (and site) than the run's 127.0.0.1. */
async function serveForeignPage(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8')
    response.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.2:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('a page of another origin', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    if (run?.child.exitCode === null) run.child.kill('SIGKILL')
    await browser.close()
  })

  it('cannot read the bundle or the feed, nor join, while the real volunteers compute the run', async () => {
    run = startPando(['examples/square-delay.js', '--stdin', '--port', '0', '--reporting-interval', '1'])
    const server = await waitForServer(run)
    const tabs = await Promise.all(['Alice', 'Bob'].map((name) => browser.open(server.url, name)))
    await run.waitForStderr(/joined \(2 connected\)/, 30_000)
    const foreign = await serveForeignPage(attackPage(`http://127.0.0.1:${server.port}`, server.token))
    try {
      const page = await browser.context.newPage()
      await page.goto(foreign.url)
      await page.waitForFunction(
        () => Object.keys((window as unknown as { attempts: object }).attempts).length === 4,
        undefined,
        { timeout: 30_000 },
      )
      expect(await page.evaluate(() => (window as unknown as { attempts: object }).attempts)).toEqual({
        fetch: 'refused',
        script: 'refused',
        feed: 'refused',
        volunteer: 'refused',
      })
      await page.close()
    } finally {
      await foreign.close()
    }
    run.child.stdin.end(seqLines(0, 300))
    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 300, (n) => String(n * n)))
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('intruder')
    await expect
      .poll(async () => (await Promise.all(tabs.map((tab) => tab.textContent('#processed')))).map(Number))
      .not.toContain(0)
  })
})
