/** An ICE server as `RTCConfiguration` takes it. */
export interface IceServerEntry {
  readonly urls: string | readonly string[]
  readonly username?: string
  readonly credential?: string
}

/**
 * The ICE servers as node-datachannel's polyfill must be given them: TURN credentials percent-encoded. The
 * polyfill writes them into each server's URL as they are (`turn:USERNAME:CREDENTIAL@HOST:PORT`), and
 * libdatachannel splits that user part at its first `:`, then percent-decodes each half: a TURN REST
 * username (`EXPIRY:ID`, as `--turn-secret` makes) was cut at its colon and the rest taken for the password,
 * so the TURN server refused the root's allocations (401) and a root behind a NAT had no relay.
 */
export function nodeIceServers(servers: readonly IceServerEntry[]): IceServerEntry[] {
  return servers.map((server) =>
    server.username === undefined || server.credential === undefined
      ? server
      : {
          ...server,
          username: encodeURIComponent(server.username),
          credential: encodeURIComponent(server.credential),
        },
  )
}
