import os from 'node:os'

/**
 * The globals a Web Worker has and Node 20 lacks that modules commonly read at their top level: `self` (the
 * Worker's global scope) and `navigator` (its `hardwareConcurrency`, `userAgent`, `language`). Node 21+ has
 * its own `navigator`, which is kept.
 */
function workerLikeGlobals(): Record<string, unknown> {
  return {
    self: globalThis,
    navigator: {
      hardwareConcurrency: os.availableParallelism(),
      userAgent: `Node.js/${process.versions.node}`,
      language: 'en-US',
      languages: ['en-US'],
    },
  }
}

/**
 * Runs `load` with the globals of `workerLikeGlobals` defined where Node lacks them, then removes what it
 * defined: a module written for the volunteers' Workers (`self.…`, `navigator.hardwareConcurrency` at its
 * top level) can be loaded in Node to check it, and nothing else in this process sees the stand-ins.
 */
export async function withWorkerLikeGlobals<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as Record<string, unknown>
  const defined = Object.entries(workerLikeGlobals()).filter(([name]) => !(name in scope))
  for (const [name, value] of defined) {
    Object.defineProperty(scope, name, { value, configurable: true, writable: true })
  }
  try {
    return await load()
  } finally {
    for (const [name] of defined) delete scope[name]
  }
}
