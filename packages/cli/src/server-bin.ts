// The `pando-server` command: understands the command line, then hands over to `run-server.ts`.
import { readCommandConfig } from './config-file.ts'
import { packageVersion } from './package-version.ts'
import { exitServerWithError, printServerMessage, serve } from './run-server.ts'
import { parseServerArguments, type ServerCommand } from './server-arguments.ts'

let command: ServerCommand | undefined
try {
  const args = process.argv.slice(2)
  const config = readCommandConfig(args, printServerMessage)
  command = await parseServerArguments(args, {
    config,
    env: process.env,
    version: packageVersion(),
  })
} catch (error) {
  exitServerWithError(error)
}
if (command !== undefined) await serve(command)
