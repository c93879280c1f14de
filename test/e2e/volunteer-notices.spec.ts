// The root's notices of volunteers joining and leaving the WebRTC tree, through the real CLI and real
// Chromium tabs: every volunteer counted is announced once (a tab whose status never reaches the root too),
// a leave names the volunteer as its join did, and the progress line counts as the notices do.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, seqLines } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const MODULE = 'examples/square-delay.js'
const ENV = { SQUARE_DELAY_MS: '50' }

/**
 * Makes a tab (before it loads) drop every `status` it sends up its data channels: a tab whose status never
 * reaches the root (lost, or never sent), while its items and heartbeats do.
 */
async function muteStatuses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const send = RTCDataChannel.prototype.send
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
      if (typeof data === 'string' && (data as string).startsWith('{"type":"status"')) return
      send.call(this, data)
    }
  })
}

/** The joins and leaves on stderr, and whether every progress line counted as the notice before it. */
function noticesAndCounts(stderr: string): { notices: string[]; mismatches: string[] } {
  const notices: string[] = []
  const mismatches: string[] = []
  let connected = 0
  for (const line of stderr.split('\n')) {
    const notice = /^pando: .* (joined|left).*\((\d+) connected\)$/.exec(line)
    if (notice !== null) {
      notices.push(line)
      connected = Number(notice[2])
      continue
    }
    const progress = / done · .* · (\d+) volunteers? · /.exec(line)
    if (progress !== null && Number(progress[1]) !== connected) {
      mismatches.push(`${line} (after a notice of ${String(connected)} connected)`)
    }
  }
  return { notices, mismatches }
}

describe('the notices of volunteers in the WebRTC tree', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it('announce every volunteer counted once, a tab whose status never reaches the root too, and name those that leave', async () => {
    const root = startPando(
      [MODULE, '--stdin', '--port', '0', '--reporting-interval', '1', '--batch-size', '2', '--progress'],
      { env: ENV },
    )
    const [url = ''] = await root.waitForStderr(PRINTED_URL)
    await browser.open(`${url}#device=Ada`)
    await root.waitForStderr(/volunteer 'Ada' joined \(1 connected\)/, 30_000)
    const bob = await browser.open(`${url}#device=Bob`)
    await root.waitForStderr(/volunteer 'Bob' joined \(2 connected\)/, 30_000)
    const mute = await browser.context.newPage()
    await muteStatuses(mute)
    await mute.goto(`${url}#device=Mute`)
    // 10 s without a status naming it (two reporting intervals, 10 s at least): announced, and only then
    // counted.
    await root.waitForStderr(/an unnamed volunteer joined: no status of it reached the root \(3 connected\)/)
    root.child.stdin.write(seqLines(0, 60))
    await root.waitForLines(10)
    // Progress lines after the third join: they count it too.
    const progressSoFar = (): number => (root.stderr().match(/ · 3 volunteers · /g) ?? []).length
    await expect.poll(progressSoFar, { timeout: 30_000 }).toBeGreaterThan(1)

    await bob.close()
    await root.waitForStderr(/volunteer 'Bob' left: its WebRTC link closed \(2 connected\)/, 30_000)
    await mute.close()
    await root.waitForStderr(/a volunteer left: its WebRTC link closed \(1 connected\)/, 30_000)
    root.child.stdin.end(seqLines(60, 100))
    const result = await root.exited
    expect(result.stdout).toBe(seqLines(0, 100, (n) => String(n * n)))
    expect(result.code).toBe(0)

    const { notices, mismatches } = noticesAndCounts(result.stderr)
    expect(notices).toEqual([
      "pando: volunteer 'Ada' joined (1 connected)",
      "pando: volunteer 'Bob' joined (2 connected)",
      'pando: an unnamed volunteer joined: no status of it reached the root (3 connected)',
      "pando: volunteer 'Bob' left: its WebRTC link closed (2 connected)",
      'pando: a volunteer left: its WebRTC link closed (1 connected)',
    ])
    expect(mismatches).toEqual([])
    expect(result.stderr).toMatch(/\npando: 100 items in \d+:\d\d · [\d.]+ items\/s · 3 volunteers · /)
  })
})
