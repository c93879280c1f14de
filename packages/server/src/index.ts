export { createServer, type ServerOptions, type PandoServer } from './server.ts'
export { reachableUrls } from './addresses.ts'
export { VOLUNTEER_PATH, RUN_PATH, DEFAULT_HEARTBEAT_MS } from './constants.ts'
