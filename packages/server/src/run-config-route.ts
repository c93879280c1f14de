import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { RUN_CONFIG_FILENAME, type RunConfig } from '@pando/protocol'
import type express from 'express'
import { timeLimitedTurnCredentials, withTurnCredentials } from './turn-credentials.ts'

/**
 * Serves `run/config.json` with time-limited TURN credentials made for this request from `turnSecret`
 * (see {@link timeLimitedTurnCredentials}): each page gets its own, and the secret never leaves the server.
 * Any other path goes on to `next`, as does a run without a config (the static files answer 404).
 */
export function runConfigWithTurnCredentials(
  runDir: () => string | undefined,
  turnSecret: string,
): express.Handler {
  return (request, response, next) => {
    const dir = runDir()
    if (request.method !== 'GET' || request.path !== `/${RUN_CONFIG_FILENAME}` || dir === undefined) {
      next()
      return
    }
    readFile(path.join(dir, RUN_CONFIG_FILENAME), 'utf8').then(
      (text) => {
        const config = JSON.parse(text) as RunConfig
        const iceServers = withTurnCredentials(config.iceServers, () =>
          timeLimitedTurnCredentials(turnSecret),
        )
        response.set('Cache-Control', 'no-store').json({ ...config, iceServers })
      },
      () => next(),
    )
  }
}
