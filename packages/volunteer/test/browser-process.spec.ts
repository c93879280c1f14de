// The `process` webpack gives the volunteer page's Node-style dependencies (browser-process.cjs).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const browserProcess = require('../browser-process.cjs') as {
  nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void
  env: Record<string, string>
}

describe("the volunteer page's process", () => {
  it('runs nextTick callbacks on the microtask queue, with their arguments, before any timer', async () => {
    const order: string[] = []
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push('timer')
        resolve()
      }, 0),
    )
    browserProcess.nextTick((a, b) => order.push(`tick ${String(a)} ${String(b)}`), 1, 2)
    order.push('sync')
    await Promise.resolve()
    expect(order).toEqual(['sync', 'tick 1 2'])
    await timer
    expect(order).toEqual(['sync', 'tick 1 2', 'timer'])
  })

  it("keeps the rest of the process package's browser shim", () => {
    expect(browserProcess.env).toEqual({})
  })
})
