import { describe, expect, it } from 'vitest'
import {
  MAX_TAB_WORKERS,
  parseVolunteerMessage,
  ProtocolError,
  VOLUNTEER_PROTOCOL_VERSION,
} from '../src/index.ts'

const hello = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    type: 'hello',
    protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
    deviceName: 'Laptop',
    ...fields,
  })

describe('hello: the Workers a tab runs', () => {
  it('keeps a count from 1 to MAX_TAB_WORKERS, and leaves it out when the page does not say', () => {
    expect(parseVolunteerMessage(hello({ workers: 4 }))).toEqual({
      type: 'hello',
      protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
      deviceName: 'Laptop',
      workers: 4,
    })
    expect(parseVolunteerMessage(hello({ workers: MAX_TAB_WORKERS }))).toMatchObject({ workers: 64 })
    expect(parseVolunteerMessage(hello({}))).not.toHaveProperty('workers')
  })

  it.each([0, -1, 1.5, MAX_TAB_WORKERS + 1, '2', null])(
    'refuses workers: %j, naming the field',
    (workers) => {
      expect(() => parseVolunteerMessage(hello({ workers }))).toThrow(ProtocolError)
      expect(() => parseVolunteerMessage(hello({ workers }))).toThrow(
        'hello.workers is not a whole number from 1 to 64',
      )
    },
  )
})
