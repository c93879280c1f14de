import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ModuleContractError, resolveProcessFunction, type ProcessFunction } from '@pando/protocol'
import { UsageError } from './errors.ts'
import { printMessage } from './exit.ts'
import { withWorkerLikeGlobals } from './worker-like-globals.ts'

/**
 * Loads the user's processing module (CommonJS or ESM: .js, .cjs, .mjs) from a path relative to `cwd` or
 * absolute, and finds its function in either contract form.
 * @throws {UsageError} when the file is missing, fails to load, or exports no processing function
 */
export async function loadProcessFunction(modulePath: string, cwd: string): Promise<ProcessFunction> {
  const path = resolve(cwd, modulePath)
  checkIsFile(modulePath, path, cwd)
  let namespace: unknown
  try {
    namespace = await import(pathToFileURL(path).href)
  } catch (error) {
    throw new UsageError(`cannot load the module ${modulePath}: ${describeLoadError(error)}: fix the module`)
  }
  return processFunctionOf(namespace, modulePath)
}

/**
 * Checks a module that only the volunteers' Workers will run (networked mode, this process computing
 * nothing): it is loaded here with a Worker's `self` and `navigator` (`withWorkerLikeGlobals`), so a module
 * valid in a Worker is not refused for Node's lack of them. When it still stops on a global that Node lacks
 * (a `ReferenceError` at its top level: `OffscreenCanvas`, `importScripts`…), it cannot be checked here: that
 * is said on stderr, and the Workers check it.
 * @throws {UsageError} when the file is missing, has a syntax error, fails to load otherwise, or exports no
 *   processing function
 */
export async function checkModuleForWorkers(modulePath: string, cwd: string): Promise<void> {
  const path = resolve(cwd, modulePath)
  checkIsFile(modulePath, path, cwd)
  let namespace: unknown
  try {
    namespace = await withWorkerLikeGlobals(() => import(pathToFileURL(path).href))
  } catch (error) {
    if (error instanceof ReferenceError) {
      printMessage(
        `note: the module ${modulePath} uses what Node lacks (${describeLoadError(error)}), so it is checked ` +
          "in the volunteers' Workers instead of here",
      )
      return
    }
    throw new UsageError(`cannot load the module ${modulePath}: ${describeLoadError(error)}: fix the module`)
  }
  processFunctionOf(namespace, modulePath)
}

/** The processing function `namespace` exports. @throws {UsageError} when it exports none */
function processFunctionOf(namespace: unknown, modulePath: string): ProcessFunction {
  try {
    return resolveProcessFunction(namespace)
  } catch (error) {
    if (error instanceof Error && error.name === ModuleContractError.name) {
      throw new UsageError(`the module ${modulePath} cannot be used: ${error.message}`)
    }
    throw error
  }
}

/**
 * Checks that the module is a file, without loading it.
 * @throws {UsageError} when it is missing or not a file
 */
export function checkModuleFile(modulePath: string, cwd: string): string {
  const path = resolve(cwd, modulePath)
  checkIsFile(modulePath, path, cwd)
  return path
}

function checkIsFile(modulePath: string, path: string, cwd: string): void {
  let isFile: boolean
  try {
    isFile = statSync(path).isFile()
  } catch {
    throw new UsageError(
      `cannot find the module ${modulePath} (no file ${path}): check the path, which is relative to the ` +
        `current directory ${cwd} unless it is absolute`,
    )
  }
  if (!isFile) {
    throw new UsageError(`the module ${modulePath} is not a file: give the path of a .js, .cjs or .mjs file`)
  }
}

/** `SyntaxError: Unexpected identifier (at /path/m.js:3)`: the error's first line and where it happened. */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const firstLine = error.message.split('\n', 1)[0] ?? ''
  const summary = `${error.name}: ${firstLine}`
  // For a syntax error, Node puts the location on the stack's first line ("/path/m.js:3" or "file:///…:3").
  const location = /^((?:file:\/\/)?\/[^\n]*:\d+)\n/.exec(error.stack ?? '')?.[1]
  return location === undefined ? summary : `${summary} (at ${location})`
}
