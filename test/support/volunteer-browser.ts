import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Chromium flags that work on these machines (see shared/docs/webrtc-testing.md). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
]

export interface VolunteerBrowser {
  readonly browser: Browser
  readonly context: BrowserContext
  /** Opens a volunteer tab on `url` (with `#device=NAME` when given). */
  open(url: string, device?: string): Promise<Page>
  /** Closes every tab and the browser. */
  close(): Promise<void>
}

/**
 * Launches Debian's Chromium (or `$PANDO_CHROMIUM`) with one context for every tab, as a crowd of
 * volunteers on one machine: one context costs far less than a context per tab.
 */
export async function launchVolunteerBrowser(): Promise<VolunteerBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.PANDO_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  const context = await browser.newContext()
  await context.grantPermissions(['camera', 'microphone'])
  return {
    browser,
    context,
    async open(url, device) {
      const page = await context.newPage()
      await page.goto(device === undefined ? url : `${url}#device=${encodeURIComponent(device)}`)
      return page
    },
    async close() {
      await context.close().catch(() => undefined)
      await browser.close().catch(() => undefined)
    },
  }
}
