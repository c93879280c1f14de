import pull, { type Duplex, type Source, type SourceCallback } from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { createPullSync, SYNC_MESSAGE } from '../src/pull-sync.ts'

/** A source of messages the test pushes, one read at a time. */
function messageQueue(): { push(message: string): void; end(): void; source: Source<string> } {
  const queue: string[] = []
  let ended = false
  let waiting: SourceCallback<string> | undefined
  const flush = (): void => {
    const cb = waiting
    if (cb === undefined) return
    const message = queue.shift()
    if (message !== undefined) {
      waiting = undefined
      cb(null, message)
    } else if (ended) {
      waiting = undefined
      cb(true)
    }
  }
  return {
    push(message) {
      queue.push(message)
      flush()
    },
    end() {
      ended = true
      flush()
    },
    source(abort, cb) {
      if (abort) {
        ended = true
        cb(abort)
        return
      }
      waiting = cb
      flush()
    },
  }
}

/** A transport whose sent messages are recorded, and whose received messages the test pushes. */
function recordedTransport(): {
  transport: Duplex<string, string>
  sent: string[]
  receive: (...messages: string[]) => void
  hangUp(): void
  ended(): boolean
} {
  const incoming = messageQueue()
  const sent: string[] = []
  let ended = false
  const transport = {
    source: incoming.source,
    sink: pull.drain(
      (message: string) => {
        sent.push(message)
      },
      () => {
        ended = true
      },
    ),
  }
  return {
    transport,
    sent,
    receive: (...messages) => messages.forEach((message) => incoming.push(message)),
    hangUp: () => incoming.end(),
    ended: () => ended,
  }
}

/** Two transports wired to each other, like a child process's stdin and stdout. */
function linkedTransports(): [Duplex<string, string>, Duplex<string, string>] {
  const toA = messageQueue()
  const toB = messageQueue()
  const sinkInto = (queue: ReturnType<typeof messageQueue>) =>
    pull.drain(
      (message: string) => queue.push(message),
      () => queue.end(),
    )
  return [
    { source: toA.source, sink: sinkInto(toB) },
    { source: toB.source, sink: sinkInto(toA) },
  ]
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('createPullSync', () => {
  it('greets first, then says ready when its sink is connected and asks when its source is read', () => {
    const { transport, sent } = recordedTransport()
    const endpoint = createPullSync(transport)
    expect(sent).toEqual(['5 pull-sync: missing sync'])
    endpoint.sink(pull.values(['a']))
    endpoint.source(null, () => undefined)
    expect(sent).toEqual(['5 pull-sync: missing sync', '4', '2'])
  })

  it('answers each ask of the peer with one value in JSON, then with the end', () => {
    const { transport, sent, receive } = recordedTransport()
    const endpoint = createPullSync(transport)
    let reads = 0
    const values = pull.values(['x', 'line\nbreak'])
    endpoint.sink((abort, cb) => {
      reads++
      values(abort, cb)
    })
    expect(reads).toBe(0)
    receive(SYNC_MESSAGE.hello, SYNC_MESSAGE.ask)
    expect(reads).toBe(1)
    receive(SYNC_MESSAGE.ask, SYNC_MESSAGE.ask)
    expect(sent.slice(2)).toEqual(['0"x"', '0"line\\nbreak"', '1true'])
    expect(reads).toBe(3)
  })

  it('sends an error of its upstream as the end with the JSON of its message', () => {
    const { transport, sent, receive } = recordedTransport()
    createPullSync(transport).sink(pull.error(new Error('it broke')))
    receive(SYNC_MESSAGE.hello, SYNC_MESSAGE.ask)
    expect(sent.at(-1)).toBe('1"it broke"')
  })

  it('gives the values the peer sends, its end, and its errors as "Remote error"', () => {
    const { transport, receive } = recordedTransport()
    const endpoint = createPullSync(transport)
    const got: unknown[] = []
    const read = (): void =>
      endpoint.source(null, (end, value) => {
        got.push(end ?? value)
      })
    read()
    receive(SYNC_MESSAGE.hello, '0"a"')
    read()
    receive('0{"n":1}')
    read()
    receive('1true')
    expect(got).toEqual(['a', { n: 1 }, true])

    const second = recordedTransport()
    createPullSync(second.transport).source(null, (end) => got.push(end))
    second.receive(SYNC_MESSAGE.hello, '1"no more"')
    expect(got.at(-1)).toEqual(new Error('Remote error: no more'))
  })

  it('ignores messages it does not know', () => {
    const { transport, sent, receive } = recordedTransport()
    createPullSync(transport).sink(pull.values(['v']))
    receive('hello there', '9', SYNC_MESSAGE.hello, SYNC_MESSAGE.ask)
    expect(sent.at(-1)).toBe('0"v"')
  })

  it('aborts its upstream when the peer aborts', () => {
    const { transport, sent, receive } = recordedTransport()
    let aborted: unknown = null
    createPullSync(transport).sink((abort, cb) => {
      if (abort) aborted = abort
      cb(abort ?? true)
    })
    receive(SYNC_MESSAGE.hello, SYNC_MESSAGE.abort)
    expect(aborted).toBe(true)
    expect(sent.at(-1)).toBe('1true')
  })

  it('ends its messages once both directions have ended', async () => {
    const { transport, receive, ended } = recordedTransport()
    const endpoint = createPullSync(transport)
    endpoint.sink(pull.values(['r']))
    const got: unknown[] = []
    endpoint.source(null, (end, value) => got.push(end ?? value))
    receive(SYNC_MESSAGE.hello, SYNC_MESSAGE.ready, '1true', SYNC_MESSAGE.ask)
    expect(ended()).toBe(false)
    receive(SYNC_MESSAGE.ask)
    await tick()
    expect(got).toEqual([true])
    expect(ended()).toBe(true)
  })

  it('stops when the peer hangs up: aborts its upstream and ends its source', () => {
    const { transport, hangUp, ended } = recordedTransport()
    const endpoint = createPullSync(transport)
    let aborted = false
    endpoint.sink((abort, cb) => {
      aborted ||= abort !== null
      cb(abort ?? true)
    })
    const got: unknown[] = []
    endpoint.source(null, (end) => got.push(end))
    hangUp()
    expect(aborted).toBe(true)
    expect(got).toEqual([true])
    expect(ended()).toBe(true)
  })

  it('finish() sends what is queued, then ends the messages without waiting for the peer', () => {
    const { transport, sent, receive, ended } = recordedTransport()
    const endpoint = createPullSync(transport)
    endpoint.sink(pull.values(['a', 'b']))
    receive(SYNC_MESSAGE.hello, SYNC_MESSAGE.ask)
    endpoint.finish()
    expect(sent.at(-1)).toBe('0"a"')
    expect(ended()).toBe(true)
  })

  it('carries a stream through a peer and back, in order, with one value in flight at a time', async () => {
    // As the pull-sync README's example: the client sends 0, 1, 2; the server doubles them.
    const [clientSide, serverSide] = linkedTransports()
    const server = createPullSync(serverSide)
    pull(
      server,
      pull.map((x: unknown) => Number(x) * 2),
      server,
    )
    const client = createPullSync(clientSide)
    const results = await new Promise<unknown[]>((resolve, reject) => {
      pull(
        pull.values([0, 1, 2]),
        client,
        pull.collect((error, values) => (error ? reject(error) : resolve(values))),
      )
    })
    expect(results).toEqual([0, 2, 4])
  })
})
