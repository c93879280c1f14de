import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seqLines, startPando } from '../../harness/pando-process.ts'

describe('pando --volunteers, interrupted', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    'on %s closes its tabs, removes every temporary file and exits %i, its output whole lines',
    async (signal, status) => {
      // TMPDIR holds the run's directory and Chromium's profile: both must be gone at the end.
      const tmp = mkdtempSync(join(tmpdir(), 'pando-tmp-'))
      const run = startPando(
        ['examples/square-delay.js', '--stdin', '--port', '0', '--volunteers', '1', '--quiet'],
        { env: { TMPDIR: tmp, SQUARE_DELAY_MS: '20' }, input: seqLines(0, 100_000) },
      )
      await run.waitForLines(10) // the tab computes
      expect(readdirSync(tmp).some((name) => name.startsWith('pando-run-'))).toBe(true)
      run.child.kill(signal)
      const { code, stdout, stderr } = await run.exited
      expect({
        code,
        stderr: stderr.replace(/^pando: (volunteers can join|the dashboard is) .*\n/gm, ''),
      }).toEqual({
        code: status,
        stderr: '',
      })
      expect(stdout).toMatch(/\n$/)
      expect(seqLines(0, 100_000, (n) => String(n * n)).startsWith(stdout)).toBe(true)
      expect(readdirSync(tmp)).toEqual([])
    },
  )
})
