import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_ITEM_TIMEOUT_MS,
  DEFAULT_REPORTING_INTERVAL_MS,
  RUN_CONFIG_PATH,
  RUN_ENDED_REASON,
  VOLUNTEER_PROTOCOL_VERSION,
  withPageToken,
  type RunConfig,
} from '@pando/protocol'
import { NoRunYetError, RunConfigUnavailableError, RunEndedError } from './errors.ts'

function fail(field: string, expected: string): never {
  throw new TypeError(`run config: ${field} must be ${expected}`)
}

function integer(config: Record<string, unknown>, field: string, min = 1): number {
  const value = config[field]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    fail(field, `an integer ≥ ${String(min)}`)
  }
  return value
}

/** `itemTimeoutPercent`: absent, or a finite percentage above 0. */
function optionalPercent(config: Record<string, unknown>, field: string): number | undefined {
  const value = config[field]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(field, 'a number > 0')
  return value
}

function batchSize(config: Record<string, unknown>): RunConfig['batchSize'] {
  return config['batchSize'] === 'auto' ? 'auto' : integer(config, 'batchSize')
}

function iceServers(value: unknown): RunConfig['iceServers'] {
  if (!Array.isArray(value)) fail('iceServers', 'an array')
  const urls = (entry: unknown): boolean =>
    typeof entry === 'string' || (Array.isArray(entry) && entry.every((url) => typeof url === 'string'))
  const optionalText = (entry: unknown): boolean => entry === undefined || typeof entry === 'string'
  for (const server of value as unknown[]) {
    const entry = (typeof server === 'object' && server !== null ? server : {}) as Record<string, unknown>
    if (!urls(entry.urls)) fail('iceServers', 'a list of { urls }')
    if (!optionalText(entry.username) || !optionalText(entry.credential)) {
      fail('iceServers', 'a list of { urls } whose username and credential are text')
    }
  }
  return value as RunConfig['iceServers']
}

/**
 * Checks the run's configuration as the root serves it. @throws {TypeError} naming the first bad field, or
 * when the root speaks another protocol version than this page
 */
export function checkRunConfig(value: unknown): RunConfig {
  if (typeof value !== 'object' || value === null) fail('the document', 'a JSON object')
  const config = value as Record<string, unknown>
  const protocolVersion = integer(config, 'protocolVersion')
  if (protocolVersion !== VOLUNTEER_PROTOCOL_VERSION) {
    throw new TypeError(
      `the root speaks protocol ${String(protocolVersion)}, this page ${String(VOLUNTEER_PROTOCOL_VERSION)}: reload the page`,
    )
  }
  if (typeof config.bundleUrl !== 'string' || config.bundleUrl === '') fail('bundleUrl', 'a URL')
  if (typeof config.moduleName !== 'string') fail('moduleName', 'a string')
  return {
    protocolVersion,
    bundleUrl: config.bundleUrl,
    moduleName: config.moduleName,
    degree: integer(config, 'degree'),
    bootstrapTimeoutMs: integer(config, 'bootstrapTimeoutMs'),
    heartbeatMs: integer(config, 'heartbeatMs', 0),
    batchSize: batchSize(config),
    reportingIntervalMs: integer(config, 'reportingIntervalMs'),
    itemTimeoutMs: integer(config, 'itemTimeoutMs', 0),
    itemTimeoutPercent: optionalPercent(config, 'itemTimeoutPercent'),
    iceServers: iceServers(config.iceServers),
  }
}

export { NoRunYetError, RunEndedError } from './errors.ts'

/**
 * Fetches and checks the run's configuration, `run/config.json` relative to the page. The bundle URL comes
 * back absolute (resolved against the page). Both carry the page's access token. @throws a
 * {@link NoRunYetError} while the server has no run (503), a {@link RunEndedError} if it says its last run
 * finished, a {@link RunConfigUnavailableError} when the root serves none, or a `TypeError` for a bad one
 */
export async function fetchRunConfig(
  pageUrl: string,
  fetchFn: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<RunConfig> {
  const url = new URL(withPageToken(RUN_CONFIG_PATH, pageUrl))
  const response = await fetchFn(url, { cache: 'no-store', ...(signal === undefined ? {} : { signal }) })
  if (response.status === 503) {
    if ((await response.text()) === RUN_ENDED_REASON) {
      throw new RunEndedError(`${url.pathname}: the last run finished (HTTP 503)`)
    }
    throw new NoRunYetError(`${url.pathname}: no run yet (HTTP 503)`)
  }
  if (!response.ok) {
    throw new RunConfigUnavailableError(`${url.pathname}: HTTP ${String(response.status)}`, response.status)
  }
  const config = checkRunConfig(await response.json())
  return { ...config, bundleUrl: withPageToken(config.bundleUrl, pageUrl) }
}

/**
 * What a WebSocket volunteer takes from the run's config: its timings, and the bundle's absolute URL to start
 * a Worker early and the module's name (`undefined` without a config: the root's welcome names both anyway).
 */
export type WebSocketSettings = Pick<
  RunConfig,
  'reportingIntervalMs' | 'itemTimeoutMs' | 'itemTimeoutPercent' | 'heartbeatMs'
> & {
  readonly bundleUrl: string | undefined
  readonly moduleName: string | undefined
}

/**
 * The run's reporting interval, item deadline, heartbeat and bundle, for a page that needs nothing else from
 * the config (a WebSocket volunteer): `DEFAULT_REPORTING_INTERVAL_MS`, `DEFAULT_ITEM_TIMEOUT_MS`,
 * `DEFAULT_HEARTBEAT_MS` and no bundle when the root serves no usable config. Never rejects.
 */
export async function fetchWebSocketSettings(
  pageUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<WebSocketSettings> {
  try {
    const config = await fetchRunConfig(pageUrl, fetchFn)
    const { reportingIntervalMs, itemTimeoutMs, itemTimeoutPercent, heartbeatMs, bundleUrl, moduleName } =
      config
    return { reportingIntervalMs, itemTimeoutMs, itemTimeoutPercent, heartbeatMs, bundleUrl, moduleName }
  } catch {
    return {
      reportingIntervalMs: DEFAULT_REPORTING_INTERVAL_MS,
      itemTimeoutMs: DEFAULT_ITEM_TIMEOUT_MS,
      heartbeatMs: DEFAULT_HEARTBEAT_MS,
      bundleUrl: undefined,
      moduleName: undefined,
    }
  }
}
