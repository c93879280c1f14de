import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT } from '../harness/pando-process.ts'
import { MODULES } from './context.ts'

/**
 * The most a tab's Workers can do on this machine, without pando: a page that runs a module (the Collatz one,
 * `examples/collatz.js`, unchanged, with bignumber.js; or `bench/fixtures/compute.cjs`) in `n` plain Web
 * Workers at once, each on its share of the inputs, and times them from the first posted message to the last
 * answer. Its 2 Workers / 1 Worker is the machine's own ceiling for pando's (two Workers of one tab on 2 cores
 * also share them with Chromium's other threads: what a core gives a second Worker is not pando's to win).
 */
const PAGE = `<!doctype html>
<title>bare Workers</title>
<script>
  window.__bareWorkers = (count, inputs, module) => {
    const shares = Array.from({ length: count }, (_, w) => inputs.filter((_, i) => i % count === w))
    const workers = shares.map(() => new Worker('/worker.js?module=' + module))
    const started = performance.now()
    return Promise.all(
      workers.map(
        (worker, w) =>
          new Promise((resolve, reject) => {
            worker.onmessage = (event) => {
              worker.terminate()
              if (event.data.error) reject(new Error(event.data.error))
              else resolve(event.data.computed)
            }
            worker.onerror = (event) => reject(new Error(event.message))
            worker.postMessage(shares[w])
          }),
      ),
    ).then((computed) => ({ computed: computed.reduce((a, b) => a + b, 0), ms: performance.now() - started }))
  }
</script>`

/** Loads bignumber.js, then the module as CommonJS (its `require` gives bignumber.js), and runs its items. */
const WORKER = `importScripts('/bignumber.js')
self.module = { exports: {} }
self.exports = self.module.exports
self.require = (name) => {
  if (name === 'bignumber.js') return self.BigNumber
  throw new Error('no module ' + name)
}
importScripts(new URL(location.href).searchParams.get('module'))
const process = self.module.exports['/pando/1.0.0']
onmessage = (event) => {
  let computed = 0
  let error
  for (const input of event.data) {
    process(input, (failure) => {
      if (failure) error = String(failure)
      else computed++
    })
  }
  postMessage({ computed, error })
}`

const FILES: Record<string, { type: string; body: () => string }> = {
  '/': { type: 'text/html', body: () => PAGE },
  '/worker.js': { type: 'text/javascript', body: () => WORKER },
  '/bignumber.js': {
    type: 'text/javascript',
    body: () => readFileSync(join(ROOT, 'node_modules/bignumber.js/dist/bignumber.js'), 'utf8'),
  },
  '/collatz.js': { type: 'text/javascript', body: () => readFileSync(MODULES.collatz, 'utf8') },
  '/compute.js': { type: 'text/javascript', body: () => readFileSync(MODULES.compute, 'utf8') },
}

/** The modules the bare page can run. */
export type BareModule = '/collatz.js' | '/compute.js'

export interface BareWorkersServer {
  readonly url: string
  close(): Promise<void>
}

/** Serves the bare Workers page on loopback. */
export async function startBareWorkersServer(): Promise<BareWorkersServer> {
  const server = http.createServer((request, response) => {
    const file = FILES[new URL(request.url ?? '/', 'http://localhost').pathname]
    if (file === undefined) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': file.type }).end(file.body())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Runs `inputs` in `workers` bare Workers of `page` (on the bare page): its ms from start to last answer. */
async function runBare(
  page: Page,
  workers: number,
  inputs: readonly string[],
  module: BareModule,
): Promise<number> {
  // A string, not a function: tsx compiles functions with helpers that the page does not have.
  const { computed, ms } = await page.evaluate<{ computed: number; ms: number }>(
    `window.__bareWorkers(${String(workers)}, ${JSON.stringify(inputs)}, ${JSON.stringify(module)})`,
  )
  if (computed !== inputs.length) throw new Error(`${computed} of ${inputs.length} items computed`)
  return ms
}

/**
 * Runs `inputs` in `workers` bare Workers of `page` (on the bare page), through `module` (the Collatz one by
 * default): items/s from start to last answer.
 */
export async function bareWorkersRate(
  page: Page,
  workers: number,
  inputs: readonly string[],
  module: BareModule = '/collatz.js',
): Promise<number> {
  return (1000 * inputs.length) / (await runBare(page, workers, inputs, module))
}

/**
 * Runs `inputs` in one bare Worker of each page, all pages at once, through `module`: items/s of them all,
 * from start to the last page's last answer (what `pages.length` tabs of one Worker each give at most).
 */
export async function bareTabsRate(
  pages: readonly Page[],
  inputs: readonly string[],
  module: BareModule,
): Promise<number> {
  const ms = await Promise.all(pages.map((page) => runBare(page, 1, inputs, module)))
  return (1000 * inputs.length * pages.length) / Math.max(...ms)
}
