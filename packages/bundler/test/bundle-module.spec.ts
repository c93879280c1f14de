import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { resolveProcessFunction } from '@pando/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bundleModule, type BundleError } from '../src/index.ts'
import { fixture, runBundle, tempDir } from './util.ts'

describe('bundleModule', () => {
  let outDir: string
  let remove: () => Promise<void>

  beforeEach(async () => {
    ;({ dir: outDir, remove } = await tempDir())
  })
  afterEach(async () => {
    await remove()
  })

  async function bundleAndLoad(
    name: string,
  ): Promise<{ process: (x: string) => Promise<unknown>; reports: unknown[] }> {
    const { file } = await bundleModule({ modulePath: fixture(name), outDir })
    const { namespace, reports } = runBundle(file)
    return { process: resolveProcessFunction(namespace), reports }
  }

  describe('with a working module', () => {
    it('writes one Worker script, and nothing else, into outDir', async () => {
      const result = await bundleModule({ modulePath: fixture('square-original.cjs'), outDir })
      expect(result.file).toBe(path.join(outDir, 'bundle.js'))
      expect(await readdir(outDir)).toEqual(['bundle.js'])
      expect(result.bytes).toBe((await stat(result.file)).size)
      expect(result.ms).toBeGreaterThan(0)
    })

    it('creates outDir when it does not exist', async () => {
      const nested = path.join(outDir, 'a', 'b')
      const { file } = await bundleModule({ modulePath: fixture('square-modern.mjs'), outDir: nested })
      expect(path.dirname(file)).toBe(nested)
    })

    it("runs an original-form CommonJS module, with pando-computing's report()", async () => {
      const { process, reports } = await bundleAndLoad('square-original.cjs')
      expect(await process('7')).toBe(49)
      expect(reports).toEqual([{ nbItems: 1, units: 'squares' }])
    })

    it('runs a modern ESM module, errors included', async () => {
      const { process } = await bundleAndLoad('square-modern.mjs')
      expect(await process('3')).toEqual({ x: 3, square: 9 })
      await expect(process('three')).rejects.toThrow('not a number: three')
    })

    it("runs a modern ESM module importing pando-computing's named export", async () => {
      const { process, reports } = await bundleAndLoad('report-modern.mjs')
      expect(await process('a')).toBe('a!')
      expect(reports).toEqual([{ nbItems: 1 }])
    })

    it('presents `module.exports = function` as the default export, as import() does in Node', async () => {
      const { process } = await bundleAndLoad('plain-function.cjs')
      expect(await process('21')).toBe('42')
    })

    it('bundles an npm dependency found above the module (bignumber.js)', async () => {
      const { process } = await bundleAndLoad('bignum.cjs')
      expect(await process('100000000000')).toBe('1000000000000000000000000000000000')
    })

    it("resolves dependencies from the module's own directory, wherever it lives", async () => {
      const project = path.join(outDir, 'project')
      await mkdir(path.join(project, 'node_modules', 'tiny-dep'), { recursive: true })
      await writeFile(
        path.join(project, 'node_modules', 'tiny-dep', 'index.js'),
        'module.exports = (x) => `<${x}>`\n',
      )
      await writeFile(
        path.join(project, 'module.cjs'),
        "const tiny = require('tiny-dep')\nrequire('pando-computing')\nmodule.exports = (x) => tiny(x)\n",
      )
      const { file } = await bundleModule({ modulePath: path.join(project, 'module.cjs'), outDir })
      expect(await resolveProcessFunction(runBundle(file).namespace)('x')).toBe('<x>')
    })

    it('provides Buffer and process to Node-ish modules', async () => {
      const { process } = await bundleAndLoad('uses-buffer.cjs')
      expect(await process('hi')).toBe('aGk=')
    })

    it('transpiles a TypeScript module', async () => {
      const { process } = await bundleAndLoad('typed.ts')
      expect(await process('hello')).toBe(5)
    })

    it('bundles a module that exports no function (the Worker rejects it when loading)', async () => {
      const { file } = await bundleModule({ modulePath: fixture('no-function.cjs'), outDir })
      expect(() => resolveProcessFunction(runBundle(file).namespace)).toThrow(
        /exports no processing function/,
      )
    })
  })

  describe('with a broken module', () => {
    async function bundleError(modulePath: string): Promise<BundleError> {
      const error: unknown = await bundleModule({ modulePath, outDir }).then(
        () => undefined,
        (reason: unknown) => reason,
      )
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).name).toBe('BundleError')
      expect(await readdir(outDir).catch(() => [])).not.toContain('bundle.js')
      return error as BundleError
    }

    it('rejects a missing file', async () => {
      const error = await bundleError(fixture('no-such-module.js'))
      expect(error.message).toMatch(/^cannot bundle .*no-such-module\.js: no such file$/)
    })

    it('rejects a syntax error, quoting the line', async () => {
      const modulePath = path.join(outDir, 'broken.cjs')
      await writeFile(modulePath, "module.exports['/pando/1.0.0'] = function (x, cb) {\n  cb(null, x *)\n}\n")
      const error = await bundleError(modulePath)
      expect(error.message).toContain('./broken.cjs 2:14: Module parse failed: Unexpected token (2:14)')
      expect(error.message).toContain('> 2 |   cb(null, x *)')
      expect(error.message).not.toContain('appropriate loader')
    })

    it('rejects an import that cannot be resolved, naming it', async () => {
      const error = await bundleError(fixture('missing-dependency.cjs'))
      expect(error.message).toContain("Can't resolve 'no-such-package-for-pando-tests'")
      expect(error.details).toHaveLength(1)
    })
  })
})
