// The cache of bundles between runs (`cacheDir`): a module is bundled again exactly when something it was made
// of changed, and a cache that cannot be used only means bundling again.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { resolveProcessFunction } from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bundleModule, type BundleResult } from '../src/index.ts'
import { runBundle, tempDir } from './util.ts'

describe('bundleModule with a cacheDir', () => {
  let dir: string
  let remove: () => Promise<void>
  let cacheDir: string
  let project: string

  beforeEach(async () => {
    ;({ dir, remove } = await tempDir())
    cacheDir = path.join(dir, 'cache')
    project = path.join(dir, 'project')
    await mkdir(project)
  })
  afterEach(async () => {
    await remove()
  })

  /** Writes `files` (paths relative to the project) and returns the absolute path of the first. */
  async function write(files: Record<string, string>): Promise<string> {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(project, name)), { recursive: true })
      await writeFile(path.join(project, name), text)
    }
    return path.join(project, Object.keys(files)[0] ?? '')
  }

  /** Bundles `modulePath` into a fresh directory and computes `input` with the bundle. */
  async function bundleAndRun(
    modulePath: string,
    input: string,
  ): Promise<{ result: BundleResult; output: unknown }> {
    const outDir = path.join(dir, `out-${String(Math.random()).slice(2)}`)
    const result = await bundleModule({ modulePath, outDir, cacheDir })
    const process = resolveProcessFunction(runBundle(result.file).namespace)
    return { result, output: await process(input) }
  }

  const moduleUsing = (helper: string): string =>
    `const helper = require('${helper}')\nmodule.exports['/pando/1.0.0'] = (x, cb) => cb(null, helper(x))\n`

  it('serves an unchanged module from the cache, the same bytes, and bundles again once it is edited', async () => {
    const modulePath = await write({
      'square.cjs': "module.exports['/pando/1.0.0'] = (x, cb) => cb(null, x * x)\n",
    })
    const first = await bundleAndRun(modulePath, '3')
    expect([first.result.cached, first.output]).toEqual([false, 9])
    const second = await bundleAndRun(modulePath, '3')
    expect([second.result.cached, second.output]).toEqual([true, 9])
    expect(await readFile(second.result.file, 'utf8')).toBe(await readFile(first.result.file, 'utf8'))

    await write({ 'square.cjs': "module.exports['/pando/1.0.0'] = (x, cb) => cb(null, x * x + 1)\n" })
    const edited = await bundleAndRun(modulePath, '3')
    expect([edited.result.cached, edited.output]).toEqual([false, 10])
    expect((await bundleAndRun(modulePath, '3')).result.cached).toBe(true)
  })

  it('bundles again when a file the module imports changed', async () => {
    const modulePath = await write({
      'main.cjs': moduleUsing('./helper.cjs'),
      'helper.cjs': 'module.exports = (x) => `a${x}`\n',
    })
    expect((await bundleAndRun(modulePath, '1')).output).toBe('a1')
    await write({ 'helper.cjs': 'module.exports = (x) => `b${x}`\n' })
    const again = await bundleAndRun(modulePath, '1')
    expect([again.result.cached, again.output]).toEqual([false, 'b1'])
  })

  it('bundles again when a package appears nearer the module than the one it imported', async () => {
    const modulePath = await write({
      'app/main.cjs': moduleUsing('helper'),
      'node_modules/helper/index.js': 'module.exports = (x) => `far ${x}`\n',
    })
    expect((await bundleAndRun(modulePath, '1')).output).toBe('far 1')
    await write({ 'app/node_modules/helper/index.js': 'module.exports = (x) => `near ${x}`\n' })
    const again = await bundleAndRun(modulePath, '1')
    expect([again.result.cached, again.output]).toEqual([false, 'near 1'])
  })

  it('bundles again, without an error, when a cached entry is damaged', async () => {
    const modulePath = await write({ 'id.cjs': "module.exports['/pando/1.0.0'] = (x, cb) => cb(null, x)\n" })
    await bundleAndRun(modulePath, 'x')
    const entries = await readdir(cacheDir)
    expect(entries.sort().map((name) => path.extname(name))).toEqual(['.js', '.json'])
    for (const name of entries)
      await writeFile(path.join(cacheDir, name), name.endsWith('.js') ? 'self.x = 1' : '{')
    const again = await bundleAndRun(modulePath, 'y')
    expect([again.result.cached, again.output]).toEqual([false, 'y'])
    expect((await bundleAndRun(modulePath, 'z')).result.cached).toBe(true)
  })

  it('bundles all the same when the cache cannot be written', async () => {
    const modulePath = await write({ 'id.cjs': "module.exports['/pando/1.0.0'] = (x, cb) => cb(null, x)\n" })
    // A file where the cache's directory should be: nothing can be written there.
    cacheDir = await write({ 'not-a-directory': '' })
    for (let run = 0; run < 2; run++) {
      const { result, output } = await bundleAndRun(modulePath, 'x')
      expect([result.cached, output]).toEqual([false, 'x'])
    }
  })
})
