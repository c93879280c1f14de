import { describe, expect, it } from 'vitest'
import { helpText, wrap } from '../src/help-text.ts'
import { OPTION_NAMES, OPTION_TABLE } from '../src/option-table.ts'
import { HELP_WIDTH } from '../src/constants.ts'

describe('helpText', () => {
  const text = helpText('USAGE', 'EPILOGUE', {})

  it('lays every option out as flags and default, then its description, within the width', () => {
    expect(text).toContain('\n  -p, --port N  [default: 5000]\n      TCP port of the volunteer page')
    expect(text).toContain('\n  --heartbeat TIME  [default: 2s]\n')
    expect(text).toContain('\n  --on-error MODE  [default: abort]\n')
    expect(text).toContain('\n  -h, --help\n      Show this help and exit.\n')
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(HELP_WIDTH)
    for (const name of OPTION_NAMES) {
      const words = OPTION_TABLE[name].describe.split(/\s+/).join(' ')
      expect(text.replace(/\n {6}/g, ' ')).toContain(words)
    }
  })

  it('names no file of the repository', () => {
    expect(text).not.toMatch(/packages\/|\.md\b/)
  })

  it('shows where a default set by the environment or the configuration file comes from', () => {
    const set = helpText('U', 'E', {
      port: { value: 9000, from: '$PANDO_PORT' },
      heartbeat: { value: 1_500, from: 'the configuration file' },
      secret: { value: 'hunter2', from: '$PANDO_SECRET' },
    })
    expect(set).toContain('-p, --port N  [default: 9000 (from $PANDO_PORT)]')
    expect(set).toContain('--heartbeat TIME  [default: 1500ms (from the configuration file)]')
    expect(set).toContain('--secret S  [default: set (from $PANDO_SECRET)]')
    expect(set).not.toContain('hunter2')
  })
})

describe('wrap', () => {
  it('breaks between words only', () => {
    expect(wrap('to standard output, in order', 12)).toEqual(['to standard', 'output, in', 'order'])
    expect(wrap('a verylongwordindeed b', 5)).toEqual(['a', 'verylongwordindeed', 'b'])
  })
})
