import { describe, expect, it } from 'vitest'
import { environmentVariable, readEnvironmentOptions } from '../src/environment-options.ts'
import { OPTION_NAMES } from '../src/option-table.ts'

describe('readEnvironmentOptions', () => {
  it('names a variable for every option', () => {
    expect(environmentVariable('item-timeout')).toBe('PANDO_ITEM_TIMEOUT')
    expect(new Set(OPTION_NAMES.map(environmentVariable)).size).toBe(OPTION_NAMES.length)
  })

  it('reads each option written as on the command line; an empty variable sets nothing', () => {
    expect(
      readEnvironmentOptions({
        PANDO_PORT: '9000',
        PANDO_ITEM_TIMEOUT: '90s',
        PANDO_REPORTING_INTERVAL: '2',
        PANDO_QUIET: 'true',
        PANDO_LOCAL: '0',
        PANDO_ON_ERROR: 'skip',
        PANDO_RETRIES: '',
        HOME: '/home/u',
      }),
    ).toEqual({
      port: 9000,
      'item-timeout': 90_000,
      'reporting-interval': 2_000,
      quiet: true,
      local: false,
      'on-error': 'skip',
    })
  })

  it('names the variable of a bad value', () => {
    expect(() => readEnvironmentOptions({ PANDO_PORT: 'x' })).toThrow(
      '$PANDO_PORT (--port) must be a whole number from 0 to 65535, not "x": fix or unset it',
    )
    expect(() => readEnvironmentOptions({ PANDO_QUIET: 'yes' })).toThrow(
      '$PANDO_QUIET (--quiet) must be true, false, 1 or 0, not "yes": fix or unset it',
    )
    expect(() => readEnvironmentOptions({ PANDO_HEARTBEAT: '2 s' })).toThrow(
      '$PANDO_HEARTBEAT (--heartbeat) must be a time of 100ms or more such as 90s, 1500ms, 2m or 1h ' +
        '(a bare number is ms), not "2 s": fix or unset it',
    )
  })
})
