// The set-up an e2e test file shares between its tests: one Chromium for the file, launched before the first
// test and closed after the last; after each test, its tabs are closed and the `pando` it started is killed
// if it still runs, so a failed test leaves nothing behind for the next.
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startPando, type PandoRun, type RunOptions } from '../../harness/pando-process.ts'
import {
  launchVolunteerBrowser,
  type VolunteerBrowser,
  type VolunteerBrowserOptions,
} from '../../harness/volunteer-browser.ts'

export interface VolunteerRig {
  /** The file's browser, for use in tests (it is launched before the first one). */
  readonly browser: VolunteerBrowser
  /** Starts `pando` as `startPando` does; it is killed after the test if it still runs. */
  startPando(args: readonly string[], options?: RunOptions): PandoRun
}

export interface VolunteerRigOptions extends VolunteerBrowserOptions {
  /** Whether the file ends by checking that no tab reported a Content-Security-Policy violation. @default false */
  readonly checkCsp?: boolean
  /** Run once the browser is up: an init script for every tab, files the tests need. */
  readonly setUp?: (browser: VolunteerBrowser) => Promise<unknown>
}

/** Registers the file's hooks (call it in a `describe` block) and returns what the tests use. */
export function useVolunteerBrowser(options: VolunteerRigOptions = {}): VolunteerRig {
  let browser: VolunteerBrowser | undefined
  const runs: PandoRun[] = []
  beforeAll(async () => {
    browser = await launchVolunteerBrowser(options)
    await options.setUp?.(browser)
  })
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await reportFailure(browser, runs)
    for (const page of browser?.context.pages() ?? []) await page.close()
    for (const run of runs.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL')
    }
  })
  afterAll(async () => {
    const violations = browser?.cspViolations() ?? []
    await browser?.close()
    if (options.checkCsp === true) expect(violations).toEqual([])
  })
  const launched = (): VolunteerBrowser => {
    if (browser === undefined) throw new Error('the browser is launched before the first test')
    return browser
  }
  return {
    browser: {
      get browser() {
        return launched().browser
      },
      get context() {
        return launched().context
      },
      open: (url, device) => launched().open(url, device),
      cspViolations: () => launched().cspViolations(),
      close: () => launched().close(),
    },
    startPando(args, runOptions) {
      const run = startPando(args, runOptions)
      runs.push(run)
      return run
    },
  }
}

/** What a failed test leaves to read in the CI log: each `pando`'s stderr, each tab's address and page text. */
async function reportFailure(
  browser: VolunteerBrowser | undefined,
  runs: readonly PandoRun[],
): Promise<void> {
  const lines: string[] = []
  for (const run of runs)
    lines.push(`--- pando ${run.child.spawnargs.slice(1).join(' ')}`, tail(run.stderr()))
  for (const page of browser?.context.pages() ?? []) {
    const text = await page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch((error: unknown) => `(unreadable: ${String(error)})`)
    const history = await page
      .evaluate(() => (window as { pandoStatusHistory?: string[] }).pandoStatusHistory?.join(' → '))
      .catch(() => undefined)
    lines.push(`--- tab ${page.url()}${history === undefined ? '' : ` (statuses: ${history})`}`, tail(text))
  }
  console.error(['=== what the failed test left', ...lines].join('\n'))
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n')
}
