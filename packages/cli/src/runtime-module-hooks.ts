// Module customization hooks (registered by `runtime-module.ts` with `module.register`), run in Node's loader
// thread. They make `import … from 'pando-computing'` resolve, from any processing module wherever it lives,
// as if the CLI itself imported it: the user's module needs no `node_modules` of its own for it.
import type { InitializeHook, ResolveHook } from 'node:module'
import { runtimeRequest } from './runtime-request.ts'

/** What `runtime-module.ts` passes to {@link initialize}. */
export interface RuntimeHookData {
  /** A URL from which the runtime module resolves: the CLI's own module. */
  readonly resolveFrom: string
}

let resolveFrom: string | undefined

export const initialize: InitializeHook<RuntimeHookData> = (data) => {
  resolveFrom = data.resolveFrom
}

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  const runtime = runtimeRequest(specifier)
  if (runtime === undefined || resolveFrom === undefined) return nextResolve(specifier, context)
  return nextResolve(runtime, { ...context, parentURL: resolveFrom })
}
