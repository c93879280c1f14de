import {
  CLOSE_CUT,
  CLOSE_DISCREDITED,
  CLOSE_EXCLUDED,
  CLOSE_GOING_AWAY,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_RECONNECT,
  CLOSE_ROOT_LEFT,
  CLOSE_RUN_FINISHED,
  CLOSE_TRY_AGAIN_LATER,
  NO_RUN_REASON,
  RUN_FINISHED_REASON,
} from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import { closeMeaning, isNoRunRefusal, phaseShown, statusOf } from '../src/page-state.ts'

describe('statusOf', () => {
  it('is working or waiting for work once connected, as the Worker is busy or not', () => {
    expect(statusOf('connected', true, false)).toBe('working')
    expect(statusOf('connected', false, false)).toBe('waiting-for-work')
  })

  it("is the link's phase before the tab is in the run", () => {
    for (const phase of ['waiting-for-run', 'joining', 'reconnecting'] as const) {
      expect(statusOf(phase, false, false)).toBe(phase)
    }
  })

  it('is paused whatever the link does, until the run is finished', () => {
    expect(statusOf('connected', true, true)).toBe('paused')
    expect(statusOf('reconnecting', false, true)).toBe('paused')
    expect(statusOf('finished', false, true)).toBe('finished')
    expect(statusOf('finished', true, false)).toBe('finished')
  })

  it('is excluded once the run excluded the tab, whatever else holds', () => {
    expect(statusOf('excluded', true, false)).toBe('excluded')
    expect(statusOf('excluded', false, true)).toBe('excluded')
    expect(statusOf('excluded', false, false, false)).toBe('excluded')
  })

  it('says the root cannot be reached only while reconnecting, and finished only when told', () => {
    expect(statusOf('reconnecting', false, false, false)).toBe('root-unreachable')
    expect(statusOf('reconnecting', false, false, true)).toBe('reconnecting')
    expect(statusOf('connected', true, false, false)).toBe('working')
    expect(statusOf('waiting-for-run', false, false, false)).toBe('waiting-for-run')
    expect(statusOf('reconnecting', false, true, false)).toBe('paused')
    for (const phase of ['waiting-for-run', 'joining', 'connected', 'reconnecting'] as const) {
      for (const reachable of [true, false]) {
        expect(statusOf(phase, false, false, reachable)).not.toBe('finished')
      }
    }
  })
})

describe('phaseShown', () => {
  it('takes "no run" for a tab that was in a run as reconnecting to that run, not waiting for a new one', () => {
    expect(phaseShown('waiting-for-run', true)).toBe('reconnecting')
    expect(phaseShown('waiting-for-run', false)).toBe('waiting-for-run')
    for (const phase of ['joining', 'connected', 'reconnecting', 'finished'] as const) {
      expect(phaseShown(phase, true)).toBe(phase)
      expect(phaseShown(phase, false)).toBe(phase)
    }
  })
})

describe('closeMeaning', () => {
  it('reads the end of the run', () => {
    expect(closeMeaning(CLOSE_RUN_FINISHED, RUN_FINISHED_REASON)).toBe('finished')
  })

  it('reads a pando-server with no root (yet, or any more) as no run', () => {
    expect(closeMeaning(CLOSE_TRY_AGAIN_LATER, NO_RUN_REASON)).toBe('no-run')
    expect(closeMeaning(CLOSE_ROOT_LEFT, 'the root left: waiting for the next run')).toBe('no-run')
  })

  it('reads an exclusion for its results, or its browser, as one that stops the tab', () => {
    expect(closeMeaning(CLOSE_EXCLUDED, "'liar' was outvoted on 2 items")).toBe('excluded')
  })

  it('reads a refusal as one to show, and anything else as a link lost, to rejoin quietly', () => {
    expect(closeMeaning(CLOSE_PROTOCOL_ERROR, 'malformed hello')).toBe('refused')
    expect(closeMeaning(CLOSE_DISCREDITED, "'x' failed 40 items")).toBe('refused')
    expect(closeMeaning(CLOSE_TRY_AGAIN_LATER, 'too many sockets from this address')).toBe('lost')
    expect(closeMeaning(CLOSE_GOING_AWAY, 'pando is shutting down')).toBe('lost')
    expect(closeMeaning(CLOSE_RECONNECT, 'silent')).toBe('lost')
    expect(closeMeaning(CLOSE_CUT, '')).toBe('lost')
  })
})

describe('isNoRunRefusal', () => {
  it('knows a join refused because no root is registered', () => {
    expect(isNoRunRefusal(new Error(`join rejected: ${NO_RUN_REASON}`))).toBe(true)
    expect(isNoRunRefusal(new Error('join timed out'))).toBe(false)
  })
})
