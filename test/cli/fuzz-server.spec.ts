// Fuzz test of `pando-server`'s root link (`/root`) through the real executable: hundreds of would-be roots
// register with garbage (not JSON, the wrong shape, binary, not UTF-8, too large, another version, a wrong
// secret), and roots that know the secret misbehave after registering (messages before ready, files twice,
// a second hello, forged messages for joiners and volunteers that do not exist). Each must be sent away
// with the reason; the server must stay up and then host a real run, exactly. PANDO_FUZZ_SEED replays.
import { once } from 'node:events'
import { MAX_ROOT_HELLO_BYTES, ROOT_LINK_VERSION, parseRootToServer } from '@pando/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { garbageText, jsonText, rootToServer } from '../support/fuzz-arbitraries.ts'
import { PANDO_SERVER, seqLines, startPando } from '../../harness/pando-process.ts'

const SEED = Number(process.env['PANDO_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31))
const SECRET = 'fuzzing-secret-3f1c9a'
const WITH_SECRET = { PANDO_SECRET: SECRET }
/** Would-be roots that never get past their hello. */
const STRANGERS = 300
/** Roots that register with the secret, then misbehave, one after another. */
const ROGUES = 12
/** Links registering at once: fewer than the server's MAX_PENDING_ROOTS (4). */
const CONCURRENCY = 3
const SERVER_URL = /volunteers can join at http:\/\/localhost:(\d+)\//

interface Closed {
  readonly code: number
  readonly reason: string
}

interface Link {
  readonly socket: WebSocket
  readonly received: { readonly type?: string; readonly reason?: string }[]
  readonly closed: Promise<Closed>
}

async function link(port: string): Promise<Link> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/root`)
  socket.on('error', () => undefined)
  const received: Link['received'] = []
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as Link['received'][0]))
  const closed = once(socket, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
  }))
  await Promise.race([once(socket, 'open'), closed])
  return { socket, received, closed }
}

async function pool(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]?.()
  }
  await Promise.all(Array.from({ length: limit }, worker))
}

/** `text` as it reads after a trip through UTF-8, as a close frame's reason makes: lone surrogates become U+FFFD. */
const asUtf8 = (text: string): string => Buffer.from(text, 'utf8').toString('utf8')

/** How `pando-server` must answer a first message: its close code and reason. */
function verdict(text: string): Closed {
  let message
  try {
    message = parseRootToServer(text, MAX_ROOT_HELLO_BYTES)
  } catch (error) {
    // A hello over its limit is refused as too big (1009), anything else that does not parse as malformed.
    return { code: text.length > MAX_ROOT_HELLO_BYTES ? 1009 : 1008, reason: (error as Error).message }
  }
  if (message.type !== 'hello') return { code: 1008, reason: 'the first message must be hello' }
  return {
    code: 1008,
    reason: `this root speaks root-link version ${message.version}, pando-server ${ROOT_LINK_VERSION}: use the same pando version on both`,
  }
}

/** A first message that is not a hello of this version: none is a guess of the secret. */
const strangerText = fc
  .oneof(
    garbageText,
    jsonText,
    rootToServer(fc.string()).map((message) => JSON.stringify(message)),
    fc
      .nat({ max: 2 * MAX_ROOT_HELLO_BYTES })
      .map((n) => JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret: 's'.repeat(n) })),
  )
  .filter((text) => {
    try {
      const message = parseRootToServer(text, MAX_ROOT_HELLO_BYTES)
      return message.type !== 'hello' || message.version !== ROOT_LINK_VERSION
    } catch {
      return true
    }
  })

type First =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  | { readonly kind: 'not-utf8'; readonly bytes: Uint8Array }

const stranger = fc.record({
  first: fc.oneof(
    { arbitrary: strangerText.map((text): First => ({ kind: 'text', text })), weight: 10 },
    {
      arbitrary: fc.uint8Array({ maxLength: 30 }).map((bytes): First => ({ kind: 'binary', bytes })),
      weight: 1,
    },
    {
      arbitrary: fc
        .uint8Array({ maxLength: 8 })
        .map((bytes): First => ({ kind: 'not-utf8', bytes: Uint8Array.from([...bytes, 0xff]) })),
      weight: 1,
    },
  ),
  /** Sent right after the first: nothing a link sends before its hello is settled is read. */
  rest: fc.array(fc.oneof(garbageText, jsonText), { maxLength: 10 }),
})

/** A message a registered root may send that does not end its link, however hostile. */
const rogueChatter = rootToServer(fc.constant(SECRET)).filter((message) => {
  try {
    const parsed = parseRootToServer(JSON.stringify(message))
    return (
      parsed.type === 'to-joiner' ||
      parsed.type === 'volunteer-send' ||
      parsed.type === 'volunteer-close' ||
      parsed.type === 'status'
    )
  } catch {
    return false
  }
})

/** How a registered root ends its link: a bad message (with its reason), or one out of turn. */
const rogueEnding = fc.oneof(
  fc.oneof(garbageText, jsonText).filter((text) => {
    try {
      parseRootToServer(text)
      return false
    } catch {
      return true
    }
  }),
  fc.constant(JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET })),
  fc.constant(JSON.stringify({ type: 'run-files', files: [{ name: 'config.json', content: '{}' }] })),
)

const rogue = fc.record({
  beforeReady: fc.boolean(),
  chatter: fc.array(rogueChatter, { minLength: 10, maxLength: 60, size: 'max' }),
  ending: rogueEnding,
})

function endingReason(text: string): string {
  try {
    const message = parseRootToServer(text)
    return message.type === 'hello' ? 'hello sent twice' : 'run-files sent twice'
  } catch (error) {
    return (error as Error).message
  }
}

describe('pando-server under fuzzed roots, through the real executable', () => {
  it(`sends garbage registrations away with the reason, stays up, and hosts a run after (seed ${SEED})`, async () => {
    const server = startPando(['--port', '0'], { bin: PANDO_SERVER, env: WITH_SECRET })
    try {
      const [, port = ''] = await server.waitForStderr(SERVER_URL)
      const problems: string[] = []
      let sent = 0

      const strangers = fc.sample(stranger, { seed: SEED, numRuns: STRANGERS })
      await pool(
        strangers.map(({ first, rest }) => async () => {
          const root = await link(port)
          if (first.kind === 'text') root.socket.send(first.text)
          else root.socket.send(first.bytes, { binary: first.kind === 'binary' })
          for (const text of rest) root.socket.send(text)
          sent += 1 + rest.length
          const closed = await root.closed
          const expected: Closed =
            first.kind === 'text'
              ? verdict(first.text)
              : first.kind === 'binary'
                ? { code: 1008, reason: 'binary messages are not part of the protocol' }
                : { code: 1007, reason: 'invalid frame: text that is not UTF-8' }
          // ws itself closes a link whose frame is not UTF-8, before the server reads it: no error message.
          const ok =
            first.kind === 'not-utf8'
              ? closed.code === expected.code &&
                closed.reason === expected.reason &&
                root.received.length === 0
              : closed.code === expected.code &&
                asUtf8(expected.reason).startsWith(closed.reason) &&
                root.received.length === 1 &&
                root.received[0]?.type === 'error' &&
                root.received[0].reason === expected.reason
          if (!ok) {
            problems.push(
              `${JSON.stringify(first).slice(0, 200)}: closed ${JSON.stringify(closed)}, told ${JSON.stringify(root.received)}`,
            )
          }
        }),
        CONCURRENCY,
      )

      // Two wrong secrets (five in a minute would bar this address, the real root's too).
      for (const secret of ['not-the-secret', '']) {
        const root = await link(port)
        root.socket.send(JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret }))
        sent++
        const closed = await root.closed
        if (closed.code !== 1008 || closed.reason !== 'wrong secret')
          problems.push(`wrong secret: ${JSON.stringify(closed)}`)
      }

      for (const session of fc.sample(rogue, { seed: SEED + 1, numRuns: ROGUES })) {
        const root = await link(port)
        root.socket.send(JSON.stringify({ type: 'hello', version: ROOT_LINK_VERSION, secret: SECRET }))
        await expect.poll(() => root.received[0]?.type).toBe('welcome')
        let expected: string
        if (session.beforeReady) {
          const [first] = session.chatter
          root.socket.send(JSON.stringify(first))
          expected = `${String(first?.['type'])} before ready`
        } else {
          root.socket.send(
            JSON.stringify({
              type: 'run-files',
              files: [
                { name: 'config.json', content: '{}' },
                { name: 'bundle.js', content: '' },
              ],
            }),
          )
          await expect.poll(() => root.received.at(-1)?.type).toBe('ready')
          for (const message of session.chatter) root.socket.send(JSON.stringify(message))
          root.socket.send(session.ending)
          sent += session.chatter.length + 1
          expected = endingReason(session.ending)
        }
        sent += 2
        const closed = await root.closed
        const last = root.received.at(-1)
        if (
          closed.code !== 1008 ||
          !asUtf8(expected).startsWith(closed.reason) ||
          last?.reason !== expected
        ) {
          problems.push(
            `rogue root ${JSON.stringify(session).slice(0, 200)}: closed ${JSON.stringify(closed)}, told ${JSON.stringify(last)}`,
          )
        }
      }

      expect(problems).toEqual([])
      expect(sent).toBeGreaterThan(1_000)
      expect(server.child.exitCode).toBeNull()
      // The server still hosts a real run, exactly.
      const root = startPando(
        ['examples/square-no-delay.js', '--stdin', '--no-start-idle', '--host', `localhost:${port}`],
        { env: WITH_SECRET, input: seqLines(0, 500) },
      )
      const result = await root.exited
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(seqLines(0, 500, (n) => String(n * n)))
      expect(server.child.exitCode).toBeNull()
      expect(server.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
      expect(server.stderr()).not.toContain(SECRET)
    } finally {
      server.child.kill('SIGINT')
      await server.exited
    }
  })
})
