import { existsSync } from 'node:fs'
import { UsageError } from '../errors.ts'

/** Where Chromium is looked for when `$PANDO_CHROMIUM` is not set (Debian's package). */
const DEFAULT_CHROMIUM = '/usr/bin/chromium'

/** Flags for headless volunteer tabs (see shared/docs/webrtc-testing.md for why each is there). */
export const CHROMIUM_ARGS = [
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

export interface VolunteerTabs {
  /** Closes every tab and the browser. Idempotent. */
  close(): Promise<void>
}

/** The Chromium binary to use, or a usage error that says how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.PANDO_CHROMIUM ?? DEFAULT_CHROMIUM
  if (!existsSync(path)) {
    throw new UsageError(
      `--volunteers needs Chromium, and there is none at ${path}: install it (Debian: apt-get install chromium) ` +
        'or set PANDO_CHROMIUM to the path of a Chromium or Chrome binary',
    )
  }
  return path
}

/**
 * Opens `count` headless Chromium tabs on `url`, as volunteers that run on this machine. They share one
 * browser and one context, which costs far less than one each.
 */
export async function openVolunteerTabs(
  url: string,
  count: number,
  executablePath: string,
): Promise<VolunteerTabs> {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  const context = await browser.newContext()
  await context.grantPermissions(['camera', 'microphone'])
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const page = await context.newPage()
      await page.goto(`${url}#device=tab-${index + 1}`)
    }),
  )
  let closing: Promise<void> | undefined
  return {
    close: () => (closing ??= browser.close().catch(() => undefined)),
  }
}
