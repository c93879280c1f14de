import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveProcessFunction, type ProcessFunction } from '@pando/protocol'
import { UsageError } from './errors.ts'

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
  try {
    return resolveProcessFunction(namespace)
  } catch (error) {
    if (error instanceof Error && error.name === 'ModuleContractError') {
      throw new UsageError(`the module ${modulePath} cannot be used: ${error.message}`)
    }
    throw error
  }
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
