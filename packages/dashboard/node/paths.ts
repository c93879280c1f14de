import { fileURLToPath } from 'node:url'

/**
 * Absolute path of the built dashboard page (`index.html` and its script), for a server to serve at
 * `/monitor/`. Built by the top-level `webpack.config.ts`.
 */
export const distRoot: string = fileURLToPath(new URL('../../dist', import.meta.url))
