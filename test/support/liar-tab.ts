// A volunteer that lies, and what a run says of it: the replication e2e tests (over both transports, and
// across the WebRTC tree) open a tab whose Worker answers 42 to everything, and check that it, and only it,
// was excluded. Nothing of the product is replaced: the tab runs the run's real bundle, with a processing
// function that lies appended.
import { WORKER_MODULE_GLOBAL } from '@pando/protocol'
import type { BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'

/** What the tampered bundle adds after the real one: a processing function that lies. */
const TAMPERING = `\n;self[${JSON.stringify(WORKER_MODULE_GLOBAL)}] = { default: async () => 42 }\n`

/** Opens a tab named `liar` whose Worker gets the run's bundle with {@link TAMPERING} appended. */
export async function openLiar(context: BrowserContext, url: string, protocol: string): Promise<Page> {
  const page = await context.newPage()
  await page.route(/\/run\/bundle\.js/, async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: (await response.text()) + TAMPERING })
  })
  await page.goto(`${url}#protocol=${protocol};device=liar;`)
  return page
}

/** The ids of the volunteers a run's stderr says were excluded, in the order it said so. */
export const excludedIds = (stderr: string): string[] =>
  [...stderr.matchAll(/volunteer '([^']+)' is excluded/g)].map(([, id = '']) => id)

/**
 * Checks that a run's stderr names a volunteer excluded by the vote (outvoted, having agreed on nothing),
 * and only the liar: no volunteer that agreed on anything is excluded; when given, the excluded ids are
 * exactly `liarIds` and none of `honestIds` is named.
 */
export function expectOnlyLiarOutvoted(
  stderr: string,
  { liarIds, honestIds = [] }: { liarIds?: readonly string[]; honestIds?: readonly string[] } = {},
): void {
  expect(stderr).toMatch(
    /pando: volunteer '[^']+' is excluded: its results were outvoted on \d+ items and agreed on 0; what it held is computed by others/,
  )
  // No honest tab is ever outvoted.
  expect(stderr).not.toMatch(/agreed on [1-9]\d*; what it held/)
  if (liarIds !== undefined) expect(excludedIds(stderr)).toEqual(liarIds)
  for (const id of honestIds) expect(stderr).not.toContain(`'${id}' is excluded`)
}
