import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chaosRun } from '../support/chaos.ts'
import { launchVolunteerBrowser, type VolunteerBrowser } from '../../harness/volunteer-browser.ts'

// The short version; `npm run chaos` runs the long one, round after round.
describe('chaos', () => {
  let browser: VolunteerBrowser

  beforeAll(async () => {
    browser = await launchVolunteerBrowser()
  })
  afterAll(async () => {
    await browser.close()
  })

  it('keeps the output exact while tabs of a degree-3 tree are killed every second and replaced', async () => {
    const result = await chaosRun({ items: 1000, tabs: 8, degree: 3, killEveryMs: 1000, browser })
    expect(result.exact, result.stderr).toBe(true)
    expect(result.killed).toBeGreaterThanOrEqual(2)
  })
})
