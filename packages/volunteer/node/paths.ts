import { fileURLToPath } from 'node:url'

/**
 * Absolute path of the built volunteer page (`index.html`, its script and the Worker script), for a server
 * to serve as static files. Built by the top-level `webpack.config.ts`.
 */
export const distRoot: string = fileURLToPath(new URL('../../dist', import.meta.url))
