import { createInterface } from 'node:readline'
import pull from 'pull-stream'
import { describe, expect, it } from 'vitest'
import { collect, spawnPando } from '../../harness/pando-process.ts'
import { runChain } from './sync-chain.ts'

const HELLO = '5 pull-sync: missing sync'

describe.concurrent('pando --sync-stdio', () => {
  it("speaks the original's pull-sync protocol: items on ask, results on ask, then the end", async () => {
    const child = spawnPando(['examples/square-no-delay.js', '--sync-stdio', '--local'])
    const received: string[] = []
    const items = ['3', '4']
    let asksForResults = 0
    const send = (message: string): void => {
      child.stdin.write(`${message}\n`)
    }
    send(HELLO)
    send('4') // we have items to give
    for await (const message of createInterface({ input: child.stdout })) {
      received.push(message)
      if (message === '2') {
        const item = items.shift()
        send(item === undefined ? '1true' : `0${JSON.stringify(item)}`)
      }
      if (message === HELLO || message.startsWith('0')) {
        asksForResults++
        send('2')
      }
      if (message.startsWith('1')) child.stdin.end()
    }
    const { code, stderr } = await collect(child)
    expect(received[0]).toBe(HELLO)
    expect(received.filter((message) => /^[01]/.test(message))).toEqual(['0"9"', '0"16"', '1true'])
    expect(received.filter((message) => message === '4')).toHaveLength(1)
    expect(new Set(received)).toEqual(new Set([HELLO, '4', '2', '0"9"', '0"16"', '1true']))
    expect(asksForResults).toBe(3)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('chains three pando processes, in order', async () => {
    const items = Array.from({ length: 200 }, (_, i) => String(i))
    const { values, error, children } = await runChain(
      ['examples/square-no-delay.js', 'test/cli/fixtures/echo.cjs', 'test/cli/fixtures/echo.cjs'],
      pull.values(items),
    )
    expect(error).toBeNull()
    expect(values).toEqual(items.map((i) => `<<${Number(i) ** 2}>>`))
    expect(children.map(({ code, stderr }) => ({ code, stderr }))).toEqual(
      Array(3).fill({ code: 0, stderr: '' }),
    )
  })

  it('chains two pando processes over an endless input, and stops them when the reader has enough', async () => {
    const { values, error, children } = await runChain(
      ['examples/square-no-delay.js', 'examples/square-modern.mjs'],
      pull.infinite(
        (
          (i) => () =>
            String(i++)
        )(0),
      ),
      pull.take(50),
    )
    expect(error).toBeNull()
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => String(i ** 4)))
    expect(children.map(({ code, stderr }) => ({ code, stderr }))).toEqual(
      Array(2).fill({ code: 0, stderr: '' }),
    )
  })

  it('sends a failed item to the peer as an error, and exits 1', async () => {
    const { values, error, children } = await runChain(
      ['examples/square-no-delay.js', 'examples/error.js'],
      pull.values(['1', '2', '7', '3']),
    )
    expect(values).toEqual(['1', '16'])
    const message =
      'the function failed on item 3 from the peer, "49" (3 attempts): Error: 49 is a multiple of 7'
    expect(error?.message).toBe(`Remote error: ${message}`)
    expect(children.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 1, stderr: `pando: ${message}\n` },
    ])
  })
})
