import { readFileSync } from 'node:fs'
import type { BrowserContext } from 'playwright-core'
import { seqLines } from '../harness/pando-process.ts'
import type { BenchItems } from './collatz.ts'
import { MODULES } from './context.ts'
import { median } from './stats.ts'

/** Steps timed per calibration round, and the rounds whose median is kept. */
const CALIBRATION_STEPS = 20_000_000
const CALIBRATION_ROUNDS = 5

/**
 * Steps of `bench/fixtures/compute.cjs` per millisecond in this Chromium, timed on a blank page with the
 * fixture's own function (its source, run as CommonJS; median of a few rounds, after a warm-up):
 * `ms × stepsPerMs` steps take about `ms` of a core in a tab's Worker.
 */
export async function computeStepsPerMs(context: BrowserContext): Promise<number> {
  const fixture = readFileSync(MODULES.compute, 'utf8')
  const page = await context.newPage()
  try {
    // A string, not a function: tsx would wrap a function's inner functions in its own `__name` helper.
    const ms = await page.evaluate<number[]>(`(() => {
      const module = { exports: {} }
      ;(function (module, exports) {
        ${fixture}
      })(module, module.exports)
      const process = module.exports['/pando/1.0.0']
      const run = (steps) => process('0:' + steps, () => undefined)
      run(${CALIBRATION_STEPS / 10})
      const ms = []
      for (let round = 0; round < ${CALIBRATION_ROUNDS}; round++) {
        const start = performance.now()
        run(${CALIBRATION_STEPS})
        ms.push(performance.now() - start)
      }
      return ms
    })()`)
    return CALIBRATION_STEPS / (median(ms) as number)
  } finally {
    await page.close()
  }
}

/** The steps of `bench/fixtures/compute.cjs` that take `itemMs` of a core. */
export const stepsFor = (itemMs: number, stepsPerMs: number): number => Math.round(itemMs * stepsPerMs)

/** `count` computed items of `itemMs` each (`N:STEPS`), for `bench/fixtures/compute.cjs`. */
export const computedInputList = (count: number, itemMs: number, stepsPerMs: number): string[] =>
  Array.from({ length: count }, (_, n) => `${n}:${stepsFor(itemMs, stepsPerMs)}`)

/** Computed items of `itemMs` each, to stream through pando. */
export function computedItems(itemMs: number, stepsPerMs: number): BenchItems {
  const steps = stepsFor(itemMs, stepsPerMs)
  return {
    module: MODULES.compute,
    lines: (count) => seqLines(0, count, (n) => `${n}:${steps}`),
    label: `computed ${itemMs} ms items`,
  }
}
