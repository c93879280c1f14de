import { ModuleContractError } from './errors.ts'

/** The key under which the original Pando's modules export their function. */
export const PANDO_KEY = '/pando/1.0.0'

/** The original form: `module.exports['/pando/1.0.0'] = function (x, cb) { cb(err, result) }`. */
export type CallbackProcess = (item: string, callback: (error: unknown, result?: unknown) => void) => void

/** The modern form: a default-exported function of one item, returning its result or a promise of it. */
export type AsyncProcess = (item: string) => unknown

/** Both forms, reduced to one shape. */
export type ProcessFunction = (item: string) => Promise<unknown>

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function'
}

function fromCallback(fn: CallbackProcess): ProcessFunction {
  return (item) =>
    new Promise((resolve, reject) => {
      let settled = false
      fn(item, (error, result) => {
        // A second call of the callback is ignored, as in the original.
        if (settled) return
        settled = true
        if (error !== undefined && error !== null) reject(error)
        else resolve(result)
      })
    })
}

function fromAsync(fn: AsyncProcess): ProcessFunction {
  return async (item) => fn(item)
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' || typeof value === 'function'
    ? (value as Record<string, unknown> | null)?.[key]
    : undefined
}

/**
 * Finds the processing function in a loaded module, whatever its form:
 * - `exports['/pando/1.0.0'] = function (x, cb)` (CommonJS or ESM, also under `default`);
 * - `export default async function (x)` or `module.exports = function (x)`.
 *
 * @throws {ModuleContractError} when the module exports neither form
 */
export function resolveProcessFunction(moduleNamespace: unknown): ProcessFunction {
  const defaultExport = property(moduleNamespace, 'default')
  const original = property(moduleNamespace, PANDO_KEY) ?? property(defaultExport, PANDO_KEY)
  if (original !== undefined) {
    if (!isFunction(original)) {
      throw new ModuleContractError(
        `'${PANDO_KEY}' is exported but is not a function (it is ${typeof original})`,
      )
    }
    if (original.length !== 2) {
      throw new ModuleContractError(
        `'${PANDO_KEY}' must be a function of two arguments (item, callback); it takes ${original.length}`,
      )
    }
    return fromCallback(original as CallbackProcess)
  }
  if (isFunction(defaultExport)) return fromAsync(defaultExport as AsyncProcess)
  throw new ModuleContractError(
    `the module exports no processing function: export one with ` +
      `'module.exports["${PANDO_KEY}"] = function (x, cb) { … }' or 'export default async function (x) { … }'`,
  )
}

/**
 * Formats a result as one output line: `String(result)` for primitives, JSON for objects and arrays (the
 * original printed `[object Object]`).
 */
export function formatResult(result: unknown): string {
  if (typeof result === 'object' && result !== null) {
    if (result instanceof Error) return String(result)
    try {
      return JSON.stringify(result)
    } catch {
      return String(result)
    }
  }
  return String(result)
}
