import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../harness/pando-process.ts'

// A smoke run of the benchmark harness (bench/run.ts) through the real CLI and real tabs: it must finish and
// write a well-formed JSON file. It checks that figures exist and are positive, never how fast anything is.

interface Row {
  readonly label: string
  readonly figures: Record<string, number | string | null | undefined>
  readonly target?: { readonly text: string; readonly met?: boolean }
  readonly runs: readonly Record<string, unknown>[]
}

interface Report {
  readonly machine: { readonly cores: number; readonly memoryMb: number; readonly cpuModel: string }
  readonly versions: { readonly node: string; readonly chromium: string; readonly pando: string }
  readonly options: { readonly quick: boolean; readonly only: string[]; readonly runs: number }
  readonly scenarios: Record<string, { readonly rows: readonly Row[]; readonly error?: string }>
}

const out = mkdtempSync(join(tmpdir(), 'pando-bench-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const positive = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0

describe('npm run bench -- --quick', () => {
  it('measures overhead and memory through real tabs and writes every figure as JSON', async () => {
    // The WebSocket only: the smoke run checks the harness, not each transport (and stays short).
    const result = await runBench([
      '--quick',
      '--only',
      'overhead,memory',
      '--transports',
      'websocket',
      '--out',
      out,
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('== overhead')
    expect(result.stdout).toContain('== memory')

    const files = readdirSync(out).filter((name) => name.endsWith('.json'))
    expect(files).toHaveLength(1)
    const report = JSON.parse(readFileSync(join(out, files[0] as string), 'utf8')) as Report

    expect(report.machine.cores).toBeGreaterThan(0)
    expect(report.machine.memoryMb).toBeGreaterThan(0)
    expect(report.machine.cpuModel).not.toBe('')
    expect(report.versions.node).toBe(process.version)
    expect(report.versions.chromium).toMatch(/^\d+\./)
    expect(report.versions.pando).toMatch(/^\d+\.\d+\.\d+/)
    expect(report.options).toMatchObject({ quick: true, only: ['overhead', 'memory'], runs: 1 })
    expect(Object.keys(report.scenarios)).toEqual(['overhead', 'memory'])

    const overhead = report.scenarios['overhead']
    expect(overhead?.error).toBeUndefined()
    expect(overhead?.rows.map((row) => row.label)).toEqual(
      expect.arrayContaining(['--local', '1 tab, WebSocket, default batch', '2 tabs, WebSocket, batch 1']),
    )
    for (const row of overhead?.rows ?? []) {
      expect(row.runs, row.label).toHaveLength(1)
      expect(row.runs[0]?.['error'], row.label).toBeUndefined()
      expect(positive(row.figures['itemsPerSecond']), row.label).toBe(true)
      expect(positive(row.runs[0]?.['itemsPerSecond']), row.label).toBe(true)
    }
    expect(
      overhead?.rows.find((row) => row.label === '1 tab, WebSocket, default batch')?.target?.text,
    ).toMatch(/items\/s/)

    const memory = report.scenarios['memory']
    expect(memory?.error).toBeUndefined()
    expect(memory?.rows.map((row) => row.label)).toEqual(['--local', '1 tab, WebSocket'])
    for (const row of memory?.rows ?? []) {
      expect(row.runs[0]?.['error'], row.label).toBeUndefined()
      expect(positive(row.figures['peakMb']), row.label).toBe(true)
      expect(positive(row.figures['baselineMb']), row.label).toBe(true)
      expect(typeof row.figures['growthMb'], row.label).toBe('number')
      expect((row.runs[0]?.['samples'] as unknown[]).length, row.label).toBeGreaterThan(0)
    }
  })
})
