/** The channels the suite runs against in the page. */
export type ChannelTransport = 'simple-peer' | 'websocket'

/** One check's verdict in the page, as the test gets it. */
export interface ChannelCheckResult {
  readonly name: string
  readonly passed: boolean
  /** What differed, when it failed. */
  readonly error?: string
}
