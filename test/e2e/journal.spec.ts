import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { journaledPositions, runWithFiles } from '../support/crash-runs.ts'
import { seqLines } from '../support/pando-process.ts'

const MODULE = 'test/e2e/fixtures/varied-2ms.cjs'
const varied = (n: number): string => `${n}:${'é'.repeat(n % 5)}${'ab'.repeat(n % 13)}`
const ITEMS = 1500

describe('pando --journal --resume with a real tab (--volunteers 1)', () => {
  it('killed with SIGKILL at random points, resumed: the output is exact, no journaled item computed again', async () => {
    const expected = seqLines(1, ITEMS + 1, varied)
    const total = Buffer.byteLength(expected)
    for (let round = 0; round < 2; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'pando-journal-e2e-'))
      const files = { input: join(dir, 'in'), output: join(dir, 'out'), countFile: join(dir, 'count') }
      writeFileSync(files.input, seqLines(1, ITEMS + 1))
      const journal = join(dir, 'j')
      const args = [MODULE, '--stdin', '--port', '0', '--volunteers', '1', '--journal', journal, '--quiet']
      let written = 0
      for (const resume of [false, true]) {
        const killAtBytes = written + 1 + Math.floor(Math.random() * (total - written) * 0.5)
        const killed = await runWithFiles(resume ? [...args, '--resume'] : args, { ...files, killAtBytes })
        expect(killed.signal, killed.stderr).toBe('SIGKILL')
        written = readFileSync(files.output).length
      }
      const last = await runWithFiles([...args, '--resume'], files)
      expect(last.code, last.stderr).toBe(0)
      expect(readFileSync(files.output, 'utf8')).toBe(expected)
      // Each item was journaled once: no resume computed an item the journal had.
      const positions = journaledPositions(journal)
      expect(positions).toHaveLength(ITEMS)
      expect(new Set(positions).size).toBe(ITEMS)
    }
  }, 480_000)
})
