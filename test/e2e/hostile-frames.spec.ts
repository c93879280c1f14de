// Frames of nested arrays sent to the root's `/volunteer` while real tabs compute (issue 12): each is refused
// before it is parsed, and the tabs, over WebRTC and over the WebSocket, are never dropped as silent.
import { once } from 'node:events'
import { MAX_JSON_DEPTH } from '@pando/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  seqLines,
  serverUrl,
  startPando,
  waitForServer,
  type PandoRun,
  type PrintedServer,
} from '../support/pando-process.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../support/volunteer-browser.ts'

/** The largest frame `/volunteer` takes (16 MiB), all of it nesting: `[[[…]]]`. */
const NESTED_FRAME = '['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024)

/** Opens a socket on `/volunteer`, says hello if asked, sends `frame`, and resolves with how it was closed. */
async function attack(
  server: PrintedServer,
  hello: boolean,
  frame: string,
): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(serverUrl(server, '/volunteer', 'ws'))
  socket.on('error', () => undefined)
  const closed = once(socket, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
  }))
  await once(socket, 'open')
  if (hello) socket.send(JSON.stringify({ type: 'hello', protocolVersion: 1, deviceName: 'deep' }))
  socket.send(frame)
  return closed
}

describe('frames of nested arrays on /volunteer, with real tabs computing', () => {
  let browser: VolunteerBrowser
  let run: PandoRun | undefined

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close()
    if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL')
    run = undefined
  })
  afterAll(async () => {
    await browser.close()
  })

  it('are refused with a code and a reason, and no tab is dropped: exact output, exit 0', async () => {
    run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    const { url } = server
    await browser.open(`${url}#protocol=websocket;device=ws-tab;`)
    await browser.open(`${url}#protocol=webrtc;device=rtc-tab;`)
    await run.waitForStderr(/volunteer 'ws-tab' joined/)
    await run.waitForStderr(/a tab joined the WebRTC tree/)
    run.child.stdin.write(seqLines(0, 20_000))
    await run.waitForLines(1)
    const before = run.stderr().length

    expect(await attack(server, false, NESTED_FRAME)).toEqual({
      code: 1009,
      reason: `message too large: ${NESTED_FRAME.length} characters`,
    })
    const deep = `{"type":"status","report":${NESTED_FRAME.slice(0, -100)}}`
    for (let i = 0; i < 3; i++) {
      expect(await attack(server, true, deep)).toEqual({
        code: 1008,
        reason: `message nested too deep: more than ${MAX_JSON_DEPTH} levels`,
      })
    }
    // A tab the root dropped as silent would be told by now (a heartbeat is 2 s).
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const during = run.stderr().slice(before)
    run.child.stdin.end(seqLines(20_000, 40_000))
    const result = await run.exited
    expect(result.stdout).toBe(seqLines(0, 40_000, (n) => String(n * n)))
    expect(result.code).toBe(0)
    // Only the attackers that said hello left (the first never joined); both tabs stayed.
    expect(during).not.toMatch(/silent for|a tab left the WebRTC tree/)
    expect(during.match(/a volunteer left: /g)).toHaveLength(3)
  }, 180_000)
})
