/**
 * What a volunteer page needs to take part in a run, served by the root as `run/config.json` beside the
 * bundled module (and sent in the WebSocket `welcome` for the fallback transport).
 */
export interface RunConfig {
  /** Bumped when the pages and the root stop understanding each other. */
  readonly protocolVersion: number
  /** URL of the user's module bundled for a Worker, relative to the page. */
  readonly bundleUrl: string
  /** The name of the module the run maps over the items (its file name, no directory), shown on the page. */
  readonly moduleName: string
  /** Children a tab accepts before it delegates joiners to them. */
  readonly degree: number
  /** A join attempt is given up after this long. */
  readonly bootstrapTimeoutMs: number
  /** A silent parent or child is dropped within this. */
  readonly heartbeatMs: number
  /**
   * Items per message on a tree link (a link holds two batches per worker below it), or `'auto'`: each
   * link's batch follows the speed of what is below it.
   */
  readonly batchSize: number | 'auto'
  /** Ms between two status reports of a volunteer (see `VolunteerReport`). */
  readonly reportingIntervalMs: number
  /**
   * Per-item deadline of a tab's Worker, in ms (`--item-timeout`): a Worker that holds items and finishes
   * none of them for this long is terminated and replaced, and the item it was stuck on is answered with an
   * `ItemTimeoutError`. 0 disables it.
   */
  readonly itemTimeoutMs: number
  /**
   * A relative item deadline (`--item-timeout 300%`), as a percentage of the median time of the items the
   * tab's Worker has timed, by the rule of `ItemTimeoutRule`; `itemTimeoutMs` is then 0, and ignored. Absent
   * for a fixed deadline.
   */
  readonly itemTimeoutPercent?: number
  /**
   * STUN/TURN servers for WebRTC; empty on a LAN or on loopback. A TURN server carries its username and
   * credential: fixed ones (`--turn-username`, `--turn-credential`), or time-limited ones made for each page
   * that fetches the config (`--turn-secret`, see {@link IceServer}).
   */
  readonly iceServers: readonly IceServer[]
}

/** One STUN or TURN server, as `RTCIceServer` takes it. Browsers refuse a `turn:` URL without credentials. */
export interface IceServer {
  readonly urls: string | readonly string[]
  readonly username?: string
  readonly credential?: string
}

/** The name of the file, in the run's directory, that holds the {@link RunConfig}. */
export const RUN_CONFIG_FILENAME = 'config.json'
