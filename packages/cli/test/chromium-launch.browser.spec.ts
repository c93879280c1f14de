import { readFileSync } from 'node:fs'
import { chromium, type Browser, type LaunchOptions } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  chromiumLaunchOptions,
  PANDO_DISABLED_FEATURES,
  PLAYWRIGHT_DISABLED_FEATURES,
} from '../src/networked/chromium-launch.ts'
import { descendants, readStat } from '../../../harness/process-tree.ts'

const EXECUTABLE = process.env['PANDO_CHROMIUM'] ?? '/usr/bin/chromium'
/** How long a test waits for Chromium's processes to be what it checks. */
const SETTLE_MS = 3_000

/**
 * A process's arguments (`/proc/PID/cmdline`; none once it has ended). Chromium's child processes rewrite
 * theirs as one string of arguments separated by spaces: arguments are split on both.
 */
function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
      .split(/[\0 ]/)
      .filter(Boolean)
  } catch {
    return []
  }
}

/** The browser process this test launched (Playwright talks to it over a pipe), and all its descendants. */
function launched(): { browser: string[]; descendants: string[][] } {
  const browserPid = [...descendants(process.pid)].find(
    (pid) =>
      readStat(`/proc/${String(pid)}/stat`)?.ppid === process.pid &&
      commandLine(pid).includes('--remote-debugging-pipe'),
  )
  if (browserPid === undefined) throw new Error('no Chromium launched by this process')
  return { browser: commandLine(browserPid), descendants: [...descendants(browserPid)].map(commandLine) }
}

const disabledFeatures = (args: readonly string[]): string[][] =>
  args.filter((arg) => arg.startsWith('--disable-features=')).map((arg) => arg.slice(19).split(','))

const hasOmniboxRenderer = (descendants: readonly string[][]): boolean =>
  descendants.some((args) => args.includes('--top-chrome-webui'))

let browser: Browser | undefined

afterEach(async () => {
  await browser?.close()
  browser = undefined
})

/** Launches Chromium and opens a tab as volunteers' tabs are opened. */
async function launchAndOpenTab(options: LaunchOptions): Promise<void> {
  browser = await chromium.launch({ executablePath: EXECUTABLE, ...options })
  const page = await (await browser.newContext()).newPage()
  await page.goto('data:text/html,<p>volunteer</p>')
}

/**
 * The processes Chromium started, once `settled` holds of them or `SETTLE_MS` passed. Chromium starts the
 * omnibox renderer with each window, before `newPage()` resolves, on a quiet machine; a busy one may take
 * longer to show it.
 */
async function launchedOnce(
  settled: (processes: ReturnType<typeof launched>) => boolean,
): Promise<ReturnType<typeof launched>> {
  const deadline = Date.now() + SETTLE_MS
  for (;;) {
    const processes = launched()
    if (settled(processes) || Date.now() > deadline) return processes
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.runIf(process.platform === 'linux')('the Chromium of volunteer tabs', () => {
  it('replaces the --disable-features that Playwright passes today, and its omnibox renderer runs', async () => {
    await launchAndOpenTab({ args: ['--headless', '--no-sandbox'] })
    const { browser: args, descendants } = await launchedOnce((found) =>
      hasOmniboxRenderer(found.descendants),
    )
    // If this fails, Playwright changed its list: copy it into PLAYWRIGHT_DISABLED_FEATURES.
    expect(disabledFeatures(args)).toEqual([PLAYWRIGHT_DISABLED_FEATURES])
    expect(hasOmniboxRenderer(descendants)).toBe(true)
  })

  it("gets one --disable-features with Playwright's features and pando's, and no omnibox renderer", async () => {
    await launchAndOpenTab(chromiumLaunchOptions())
    // Waits the whole time: an omnibox renderer started late would show by then.
    const { browser: args, descendants } = await launchedOnce(() => false)
    expect(disabledFeatures(args)).toEqual([[...PLAYWRIGHT_DISABLED_FEATURES, ...PANDO_DISABLED_FEATURES]])
    expect(hasOmniboxRenderer(descendants)).toBe(false)
  })
})
