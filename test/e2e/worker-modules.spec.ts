import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRINTED_URL, runPando } from '../../harness/pando-process.ts'
import { useVolunteerBrowser } from '../support/volunteer-rig.ts'

const FIXTURES = 'test/e2e/fixtures'

/** Lines of stderr other than the URLs and join notices every networked run prints. */
function messages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !/can join at|dashboard is at|joined/.test(line))
}

/**
 * A module meant for the volunteers' Workers is checked in Node before the run, but not refused for what only
 * a Worker has: Node 20 lacks `self` and `navigator`, which the check stands in for, and a global it still
 * lacks leaves the check to the Workers.
 */
describe('modules written for Web Workers, through the real CLI and a real tab', () => {
  it('runs a module that reads self and navigator at its top level', async () => {
    const result = await runPando([
      `${FIXTURES}/worker-globals.cjs`,
      '--port',
      '0',
      '--volunteers',
      '1',
      'a',
      'b',
    ])
    expect(result.stdout).toBe(
      'a in DedicatedWorkerGlobalScope with some cores\nb in DedicatedWorkerGlobalScope with some cores\n',
    )
    expect(messages(result.stderr)).toEqual([])
    expect(result.code).toBe(0)
  })

  it('leaves a module that needs a browser-only global to the Workers, and says so', async () => {
    const module = `${FIXTURES}/browser-only.cjs`
    const result = await runPando([module, '--port', '0', '--volunteers', '1', 'a', 'b'])
    expect(result.stdout).toBe('a on a 1x1 canvas\nb on a 1x1 canvas\n')
    expect(messages(result.stderr)).toEqual([
      `pando: note: the module ${module} uses what Node lacks (ReferenceError: OffscreenCanvas is not ` +
        "defined), so it is checked in the volunteers' Workers instead of here",
    ])
    expect(result.code).toBe(0)
  })

  it('still refuses, in Node, a module that needs Worker globals when this process computes too', async () => {
    const module = `${FIXTURES}/worker-globals.cjs`
    const result = await runPando([module, '--port', '0', '--no-start-idle', 'a'])
    expect(result).toEqual({
      stdout: '',
      stderr: `pando: cannot load the module ${module}: ReferenceError: self is not defined: fix the module\n`,
      code: 2,
      signal: null,
    })
  })
})

describe('a module edited between runs, through the real CLI and a real tab', () => {
  const { browser, startPando } = useVolunteerBrowser()

  it('computes with the module as it is now, run after run, though its bundle is kept between runs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pando-edited-module-'))
    const cache = path.join(dir, 'cache')
    const module = path.join(dir, 'label.cjs')
    const helper = path.join(dir, 'helper.cjs')
    await writeFile(module, "const tag = require('./helper.cjs')\nmodule.exports = async (x) => tag(x)\n")
    const outputs: string[] = []
    // Its helper edited after the first run; the third run finds nothing changed since the second.
    for (const tag of ['first', 'second', 'second']) {
      await writeFile(helper, `module.exports = (x) => x + ' ${tag}'\n`)
      const root = startPando([module, '--port', '0', 'a'], { env: { XDG_CACHE_HOME: cache } })
      const [url = ''] = await root.waitForStderr(PRINTED_URL)
      await browser.open(url)
      const result = await root.exited
      expect(messages(result.stderr)).toEqual([])
      expect(result.code).toBe(0)
      outputs.push(result.stdout)
    }
    expect(outputs).toEqual(['a first\n', 'a second\n', 'a second\n'])
    // The bundle was kept (one module: one bundle and what it was made of).
    expect((await readdir(path.join(cache, 'pando', 'bundles'))).length).toBe(2)
  })
})
