// The `pando-server` command: understands the command line, then hands over to `run-server.ts`.
import { homedir } from 'node:os'
import { readConfigFile } from './config-file.ts'
import { packageVersion } from './package-version.ts'
import { exitServerWithError, serve } from './run-server.ts'
import { parseServerArguments, type ServerCommand } from './server-arguments.ts'

let command: ServerCommand | undefined
try {
  command = await parseServerArguments(process.argv.slice(2), {
    config: readConfigFile(homedir(), { env: process.env }),
    env: process.env,
    version: packageVersion(),
  })
} catch (error) {
  exitServerWithError(error)
}
if (command !== undefined) await serve(command)
