// Frames of nested arrays sent to the root's `/volunteer` while real tabs compute (issue 12): each is refused
// before it is parsed, and the tabs, over WebRTC and over the WebSocket, are never dropped as silent.
import { MAX_JSON_DEPTH } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { seqLines, waitForServer } from '../../harness/pando-process.ts'
import { NESTED_FRAME, sendVolunteerFrame } from '../support/nested-frames.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

describe('frames of nested arrays on /volunteer, with real tabs computing', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it('are refused with a code and a reason, and no tab is dropped: exact output, exit 0', async () => {
    const run = startPando(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    const { url } = server
    await browser.open(`${url}#protocol=websocket;device=ws-tab;`)
    await browser.open(`${url}#protocol=webrtc;device=rtc-tab;`)
    await run.waitForStderr(/volunteer 'ws-tab' joined/)
    await run.waitForStderr(/volunteer 'rtc-tab' joined/)
    run.child.stdin.write(seqLines(0, 20_000))
    await run.waitForLines(1)
    const before = run.stderr().length

    expect(await sendVolunteerFrame(server, false, NESTED_FRAME)).toEqual({
      code: 1009,
      reason: `message too large: ${NESTED_FRAME.length} characters`,
    })
    const deep = `{"type":"status","report":${NESTED_FRAME.slice(0, -100)}}`
    for (let i = 0; i < 3; i++) {
      expect(await sendVolunteerFrame(server, true, deep)).toEqual({
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
    expect(during.match(/volunteer '[^']*' left: /g)).toHaveLength(3)
  }, 180_000)
})
