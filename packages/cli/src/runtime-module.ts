import Module, { createRequire, register } from 'node:module'
import type { RuntimeHookData } from './runtime-module-hooks.ts'
import { runtimeRequest } from './runtime-request.ts'

/** The CommonJS resolver, an internal of Node's that packages such as module-alias patch the same way. */
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string
const CommonJsModule = Module as unknown as { _resolveFilename: ResolveFilename }

let installed = false

/**
 * Makes `require('pando-computing')` and `import … from 'pando-computing'` resolve to the runtime this CLI
 * ships with (`@pando/runtime`), for any processing module wherever it lives on disk (the original Pando's modules require it
 * without depending on it). Other requests resolve as usual. Idempotent.
 */
export function installRuntimeModuleResolution(): void {
  if (installed) return
  installed = true
  const cliRequire = createRequire(import.meta.url)
  const resolveFilename = CommonJsModule._resolveFilename
  CommonJsModule._resolveFilename = function (request, parent, isMain, options) {
    const runtime = runtimeRequest(request)
    if (runtime === undefined) return resolveFilename.call(this, request, parent, isMain, options)
    return cliRequire.resolve(runtime)
  }
  register<RuntimeHookData>(new URL('./runtime-module-hooks.js', import.meta.url), {
    data: { resolveFrom: import.meta.url },
  })
}
