import Module, { createRequire, register } from 'node:module'
import { RUNTIME_MODULE } from './constants.ts'
import type { RuntimeHookData } from './runtime-module-hooks.ts'

/** The CommonJS resolver, an internal of Node's that packages such as module-alias patch the same way. */
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string
const CommonJsModule = Module as unknown as { _resolveFilename: ResolveFilename }

let installed = false

function isRuntimeRequest(request: string): boolean {
  return request === RUNTIME_MODULE || request.startsWith(`${RUNTIME_MODULE}/`)
}

/**
 * Makes `require('pando-computing')` and `import … from 'pando-computing'` resolve to the runtime this CLI
 * ships with, for any processing module wherever it lives on disk (the original Pando's modules require it
 * without depending on it). Other requests resolve as usual. Idempotent.
 */
export function installRuntimeModuleResolution(): void {
  if (installed) return
  installed = true
  const cliRequire = createRequire(import.meta.url)
  const resolveFilename = CommonJsModule._resolveFilename
  let resolvingForCli = false
  CommonJsModule._resolveFilename = function (request, parent, isMain, options) {
    if (!isRuntimeRequest(request) || resolvingForCli) {
      return resolveFilename.call(this, request, parent, isMain, options)
    }
    // Resolve it as the CLI would (cliRequire.resolve comes back through here, hence the flag).
    resolvingForCli = true
    try {
      return cliRequire.resolve(request)
    } finally {
      resolvingForCli = false
    }
  }
  register<RuntimeHookData>(new URL('./runtime-module-hooks.js', import.meta.url), {
    data: { resolveFrom: import.meta.url },
  })
}
