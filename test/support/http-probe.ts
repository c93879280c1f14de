import http from 'node:http'
import { WebSocket } from 'ws'

/** What a server answered to a plain request. */
export interface ProbeAnswer {
  readonly status: number
  readonly body: string
  readonly headers: http.IncomingHttpHeaders
}

/** GETs `url` with `headers` (`Host` and `Origin` included, which `fetch` would not let a test set). */
export function probe(url: string, headers: Record<string, string> = {}): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        )
      })
      .on('error', reject)
  })
}

/** How a WebSocket upgrade went: it opened (and was closed by the test), or was answered with a status. */
export type UpgradeAnswer =
  { readonly opened: true } | { readonly opened: false; readonly status: number; readonly body: string }

/** Tries to open a WebSocket at `url` (ws:) with `headers`; closes it at once if it opens. */
export function probeUpgrade(url: string, headers: Record<string, string> = {}): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('open', () => {
      socket.close()
      resolve({ opened: true })
    })
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ opened: false, status: response.statusCode ?? 0, body }))
    })
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error)
    })
  })
}
