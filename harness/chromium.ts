import { chromium, type Browser } from 'playwright-core'
// The flags pando itself uses for --volunteers tabs: one list, so the tests run tabs as users get them.
import { chromiumLaunchOptions } from '@pando/cli'

/** Launches Debian's Chromium (or `executablePath`, or `$PANDO_CHROMIUM`) with the flags of pando's own tabs. */
export function launchChromium(executablePath?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: executablePath ?? process.env.PANDO_CHROMIUM ?? '/usr/bin/chromium',
    ...chromiumLaunchOptions(),
  })
}
