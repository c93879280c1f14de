import { RUNTIME_MODULE, RUNTIME_PACKAGE } from './constants.ts'

/**
 * The request for the runtime package that stands for `request`, when `request` names the runtime API
 * (`pando-computing` or a path in it); otherwise `undefined`. Modules name the published package; the CLI
 * resolves them to the internal package it ships with, which the published package re-exports.
 */
export function runtimeRequest(request: string): string | undefined {
  if (request === RUNTIME_MODULE) return RUNTIME_PACKAGE
  if (request.startsWith(`${RUNTIME_MODULE}/`)) return RUNTIME_PACKAGE + request.slice(RUNTIME_MODULE.length)
  return undefined
}
