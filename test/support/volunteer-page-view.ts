import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'

/** What the volunteer page shows a person, read from its DOM. */
export interface PageView {
  /** `#status`'s `data-status`: `waiting-for-run`, `joining`, `working`, `waiting-for-work`, `finished`… */
  readonly status: string
  /** The status's label and its sentence, as shown. */
  readonly label: string
  readonly detail: string
  /** The note after the sentence, `''` when there is none. */
  readonly note: string
  /** What runs and for whom. */
  readonly moduleName: string
  readonly host: string
  /** The run's progress as shown (`120 of 200 items done`). */
  readonly runProgress: string
  /** This tab's own count. */
  readonly processed: number
  /** The warning box's text, `undefined` when it is hidden. */
  readonly message: string | undefined
  /** The whole page's visible text. */
  readonly text: string
}

/** Reads the volunteer page's view (see {@link PageView}). */
export function readPageView(page: Page): Promise<PageView> {
  return page.evaluate(() => {
    const text = (id: string): string => document.getElementById(id)?.textContent?.trim() ?? ''
    const message = document.getElementById('message')
    return {
      status: document.getElementById('status')?.dataset.status ?? '',
      label: text('status'),
      detail: text('status-detail'),
      note: text('status-note'),
      moduleName: text('module-name'),
      host: text('run-host'),
      runProgress: text('run-progress'),
      processed: Number(text('processed')),
      message: message === null || message.hidden ? undefined : text('message'),
      text: document.body.innerText,
    }
  })
}

/** Resolves once the page shows `status`. */
export async function waitForStatus(page: Page, status: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector(`#status[data-status="${status}"]`, { timeout: timeoutMs })
}

/**
 * Makes `page` (before it loads) keep every status it shows, in order, however briefly: a status that shows
 * for a moment between two readings is still seen (see {@link statusHistory}).
 */
export async function recordStatuses(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const history: string[] = []
    Object.assign(window, { pandoStatusHistory: history })
    const watch = (): void => {
      const status = document.getElementById('status')
      if (status === null) return
      const note = (): void => {
        const value = status.dataset.status ?? ''
        if (history.at(-1) !== value) history.push(value)
      }
      note()
      new MutationObserver(note).observe(status, { attributes: true, attributeFilter: ['data-status'] })
    }
    document.addEventListener('DOMContentLoaded', watch)
  })
}

/**
 * Resolves once `page` has shown `status`, now or at any time since it loaded (see {@link recordStatuses}): a
 * short status (a tab working through a few items) is not missed by a test that looks too late, as on a busy
 * machine.
 */
export async function waitForStatusSeen(page: Page, status: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => (window as unknown as { pandoStatusHistory: string[] }).pandoStatusHistory.includes(wanted),
    status,
    { timeout: timeoutMs },
  )
}

/** Every status `page` showed since it loaded, in order (see {@link recordStatuses}). */
export function statusHistory(page: Page): Promise<readonly string[]> {
  return page.evaluate(() => [...(window as unknown as { pandoStatusHistory: string[] }).pandoStatusHistory])
}

/** The sizes the page must read well at: a phone (390×844) and a desktop (1280×800). */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const

/** What does not fit: the page wider than the window, or an element cut off at a side or within its box. */
export interface LayoutProblems {
  readonly scrollWidth: number
  readonly innerWidth: number
  /** Elements that stick out of the window or whose content is wider than their box (a tag and its text). */
  readonly clipped: readonly string[]
}

/**
 * Sets the page to `viewport`, takes a full-page screenshot into `dir` (named `name-viewport.png`), and
 * returns what does not fit (see {@link LayoutProblems}).
 */
export async function screenshotAndMeasure(
  page: Page,
  viewport: keyof typeof VIEWPORTS,
  dir: string,
  name: string,
): Promise<LayoutProblems & { readonly file: string }> {
  await page.setViewportSize(VIEWPORTS[viewport])
  const file = path.join(dir, `${name}-${viewport}.png`)
  await mkdir(dir, { recursive: true })
  await page.screenshot({ path: file, fullPage: true })
  const problems = await page.evaluate(() => {
    const clipped: string[] = []
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (element.closest('details:not([open]) > :not(summary)') !== null) continue
      const rect = element.getBoundingClientRect()
      if (rect.width === 0 && rect.height === 0) continue
      const style = getComputedStyle(element)
      const sticksOut = rect.left < -0.5 || rect.right > window.innerWidth + 0.5
      const cutInside =
        style.overflowX !== 'visible' &&
        element.scrollWidth > element.clientWidth + 1 &&
        element.tagName !== 'INPUT'
      if (sticksOut || cutInside) {
        clipped.push(
          `<${element.tagName.toLowerCase()}${element.id === '' ? '' : `#${element.id}`}> ${element.textContent?.trim().slice(0, 40) ?? ''}`,
        )
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, clipped }
  })
  return { ...problems, file }
}
