import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './chromium.ts'

export interface VolunteerBrowser {
  readonly browser: Browser
  readonly context: BrowserContext
  /** Opens a volunteer tab on `url` (with `#device=NAME` when given). */
  open(url: string, device?: string): Promise<Page>
  /** Content-Security-Policy violations reported by any page so far: there should be none. */
  cspViolations(): readonly string[]
  /** Closes every tab, and the browser unless it was given ({@link openVolunteerContext}). */
  close(): Promise<void>
}

export interface VolunteerBrowserOptions {
  /** The Chromium to run, e.g. a lab host's launcher (`LabHost.chromium`). @default $PANDO_CHROMIUM or Debian's */
  readonly executablePath?: string
  /**
   * Whether the tabs have camera permission, which makes Chromium offer plain IP host candidates (127.0.0.1
   * on loopback) instead of mDNS `.local` names. Real volunteers have not granted it: the lab's tabs run
   * without. @default true
   */
  readonly cameraPermission?: boolean
}

/**
 * Launches Debian's Chromium (or `$PANDO_CHROMIUM`) with one context for every tab, as a crowd of
 * volunteers on one machine: one context costs far less than a context per tab.
 */
export async function launchVolunteerBrowser(
  options: VolunteerBrowserOptions = {},
): Promise<VolunteerBrowser> {
  const browser = await launchChromium(options.executablePath)
  return volunteerContext(browser, options, () => browser.close())
}

/**
 * Opens a context for volunteer tabs in a Chromium already running (`launchChromium`), for a run of a test
 * file that keeps one browser for all its tests: its `close` closes the context and its tabs, not the
 * browser. Contexts share no storage, so each run's tabs start afresh.
 */
export function openVolunteerContext(
  browser: Browser,
  options: Omit<VolunteerBrowserOptions, 'executablePath'> = {},
): Promise<VolunteerBrowser> {
  return volunteerContext(browser, options, () => Promise.resolve())
}

/** A new context of `browser` for volunteer tabs; `closeBrowser` runs after the context's close. */
async function volunteerContext(
  browser: Browser,
  options: Omit<VolunteerBrowserOptions, 'executablePath'>,
  closeBrowser: () => Promise<void>,
): Promise<VolunteerBrowser> {
  const context = await browser.newContext()
  if (options.cameraPermission !== false) await context.grantPermissions(['camera', 'microphone'])
  const violations: string[] = []
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  return {
    browser,
    context,
    cspViolations: () => violations,
    async open(url, device) {
      const page = await context.newPage()
      // The page's load (its bundle, a Worker's module) can take longer than playwright's 30 s on a machine
      // busy with other work; the tests' own time limits bound it.
      await page.goto(device === undefined ? url : `${url}#device=${encodeURIComponent(device)}`, {
        timeout: 90_000,
      })
      return page
    },
    async close() {
      await context.close().catch(() => undefined)
      await closeBrowser().catch(() => undefined)
    },
  }
}
