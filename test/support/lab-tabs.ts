import type { Page } from 'playwright-core'
import type { LabHost } from './network-lab.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from './volunteer-browser.ts'

/** What a volunteer page shows of its place in the run. */
export interface TabState {
  readonly page: Page
  readonly host: string
  readonly id: string
  readonly parent: string
  readonly depth: number
  readonly transport: string
}

/** A lab host's Chromium with its volunteer tabs: no camera permission, as real volunteers. */
export interface HostTabs {
  readonly host: LabHost
  readonly browser: VolunteerBrowser
  readonly pages: Page[]
}

/** Launches Chromium inside `host` and opens `count` tabs on `url`, named `HOST-1`, `HOST-2`… */
export async function openHostTabs(host: LabHost, url: string, count: number): Promise<HostTabs> {
  const browser = await launchVolunteerBrowser({ executablePath: host.chromium, cameraPermission: false })
  const pages: Page[] = []
  try {
    for (let i = 1; i <= count; i++) pages.push(await browser.open(url, `${host.name}-${i}`))
  } catch (error) {
    await browser.close()
    throw error
  }
  return { host, browser, pages }
}

/** The state a page shows. */
export async function tabState(page: Page, host: string): Promise<TabState> {
  const text = async (selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? ''
  return {
    page,
    host,
    id: await text('#volunteer-id'),
    parent: await text('#parent-id'),
    depth: Number(await text('#depth')),
    transport: await text('#transport'),
  }
}

/** Resolves once every tab of `hosts` shows a transport and a depth (or the WebSocket): it has joined. */
export async function joinedTabs(hosts: readonly HostTabs[], timeoutMs = 60_000): Promise<TabState[]> {
  const all = hosts.flatMap(({ host, pages }) => pages.map((page) => ({ host, page })))
  await Promise.all(
    all.map(({ page }) =>
      page.waitForFunction(
        () =>
          Number(document.querySelector('#depth')?.textContent) >= 1 ||
          /websocket/i.test(document.querySelector('#transport')?.textContent ?? ''),
        undefined,
        { timeout: timeoutMs },
      ),
    ),
  )
  return Promise.all(all.map(({ host, page }) => tabState(page, host.name)))
}
