// The `pando-server` command: understands the command line, then hands over to `run-server.ts`.
import { homedir } from 'node:os'
import { givenConfigFile, ignoredConfigMessage, readConfigFile } from './config-file.ts'
import { packageVersion } from './package-version.ts'
import { exitServerWithError, printServerMessage, serve } from './run-server.ts'
import { parseServerArguments, type ServerCommand } from './server-arguments.ts'

let command: ServerCommand | undefined
try {
  const args = process.argv.slice(2)
  const given = givenConfigFile(args, process.env)
  const config = readConfigFile(homedir(), { env: process.env, ...(given === undefined ? {} : { given }) })
  const ignored = ignoredConfigMessage(config)
  if (ignored !== undefined) printServerMessage(ignored)
  command = await parseServerArguments(args, {
    config,
    env: process.env,
    version: packageVersion(),
  })
} catch (error) {
  exitServerWithError(error)
}
if (command !== undefined) await serve(command)
