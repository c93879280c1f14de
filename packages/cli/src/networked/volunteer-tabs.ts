import { chromiumLaunchOptions } from './chromium-launch.ts'

export interface VolunteerTabs {
  /**
   * Opens `count` tabs on `url`, as volunteers that run on this machine, each with `workers` Workers
   * (`#workers=N`), or as many as the tab chooses when 0.
   */
  open(url: string, count: number, workers?: number): Promise<void>
  /** Closes every tab and the browser (which removes its profile directory). Idempotent. */
  close(): Promise<void>
}

/**
 * Starts a headless Chromium for volunteer tabs. They share one browser and one context, which costs far
 * less than one each. Playwright's own signal handlers are off: on SIGINT, SIGTERM or SIGHUP it would close
 * the browser and exit the process before the run's shutdown (its results flushed, its files removed), so
 * the run closes the browser itself, as one of its releases.
 */
export async function launchVolunteerBrowser(executablePath: string): Promise<VolunteerTabs> {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath,
    ...chromiumLaunchOptions(),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  })
  let closing: Promise<void> | undefined
  return {
    async open(url, count, workers = 0) {
      const workersEntry = workers > 0 ? `;workers=${String(workers)}` : ''
      const context = await browser.newContext()
      await context.grantPermissions(['camera', 'microphone'])
      await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const page = await context.newPage()
          await page.goto(`${url}#device=tab-${index + 1}${workersEntry}`)
        }),
      )
    },
    close: () => (closing ??= browser.close().catch(() => undefined)),
  }
}
