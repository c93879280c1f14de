import { NO_RUN_REASON, RUN_ENDED_REASON, VOLUNTEER_PROTOCOL_VERSION, type RunConfig } from '@pando/protocol'
import { describe, expect, it } from 'vitest'
import {
  checkRunConfig,
  fetchRunConfig,
  fetchWebSocketSettings,
  NoRunYetError,
  RunEndedError,
} from '../src/run-config.ts'

const CONFIG: RunConfig = {
  protocolVersion: VOLUNTEER_PROTOCOL_VERSION,
  bundleUrl: 'run/bundle.js',
  moduleName: 'test-module.cjs',
  degree: 10,
  bootstrapTimeoutMs: 60_000,
  heartbeatMs: 2_000,
  batchSize: 32,
  reportingIntervalMs: 3_000,
  itemTimeoutMs: 60_000,
  iceServers: [{ urls: 'stun:stun.example.org' }, { urls: ['turn:a', 'turn:b'] }],
}

const respond =
  (status: number, body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status })

describe('checkRunConfig', () => {
  it('accepts a config as the root serves it', () => {
    expect(checkRunConfig(JSON.parse(JSON.stringify(CONFIG)))).toEqual(CONFIG)
  })

  it('keeps a relative item deadline (--item-timeout 300%)', () => {
    expect(checkRunConfig({ ...CONFIG, itemTimeoutMs: 0, itemTimeoutPercent: 300 })).toMatchObject({
      itemTimeoutMs: 0,
      itemTimeoutPercent: 300,
    })
  })

  it("keeps the TURN servers' credentials", () => {
    const iceServers = [{ urls: ['turn:203.0.113.1'], username: '1700000000:ab', credential: 'c2VjcmV0' }]
    expect(checkRunConfig({ ...CONFIG, iceServers }).iceServers).toEqual(iceServers)
  })

  it.each([
    [{ degree: 0 }, 'degree must be an integer ≥ 1'],
    [{ batchSize: 1.5 }, 'batchSize must be an integer ≥ 1'],
    [{ reportingIntervalMs: 0 }, 'reportingIntervalMs must be an integer ≥ 1'],
    [{ heartbeatMs: -1 }, 'heartbeatMs must be an integer ≥ 0'],
    [{ itemTimeoutMs: -1 }, 'itemTimeoutMs must be an integer ≥ 0'],
    [{ itemTimeoutMs: undefined }, 'itemTimeoutMs must be an integer ≥ 0'],
    [{ itemTimeoutPercent: 0 }, 'itemTimeoutPercent must be a number > 0'],
    [{ itemTimeoutPercent: '300%' }, 'itemTimeoutPercent must be a number > 0'],
    [{ bundleUrl: '' }, 'bundleUrl must be a URL'],
    [{ iceServers: [{ url: 'stun:x' }] }, 'iceServers must be a list of { urls }'],
    [
      { iceServers: [{ urls: 'turn:x', username: 1, credential: 'c' }] },
      'iceServers must be a list of { urls } whose username and credential are text',
    ],
    [{ protocolVersion: VOLUNTEER_PROTOCOL_VERSION + 1 }, 'reload the page'],
  ])('refuses %j', (change, message) => {
    expect(() => checkRunConfig({ ...CONFIG, ...change })).toThrow(message)
  })
})

describe('fetchRunConfig', () => {
  it('fetches run/config.json beside the page and makes the bundle URL absolute', async () => {
    const config = await fetchRunConfig('http://host:5000/sub/#device=X', respond(200, CONFIG))
    expect(config.bundleUrl).toBe('http://host:5000/sub/run/bundle.js')
  })

  it('fails when the root serves no config', async () => {
    await expect(fetchRunConfig('http://host:5000/', respond(404, {}))).rejects.toThrow('HTTP 404')
  })
})

describe('fetchRunConfig', () => {
  it('says there is no run yet on a 503 (a pando-server with no root), and fails on another status', async () => {
    await expect(fetchRunConfig('http://host:5000/', respond(503, 'no run'))).rejects.toBeInstanceOf(
      NoRunYetError,
    )
    const notFound = fetchRunConfig('http://host:5000/', respond(404, {}))
    await expect(notFound).rejects.toThrow('/run/config.json: HTTP 404')
    await expect(notFound).rejects.not.toBeInstanceOf(NoRunYetError)
  })

  it('tells a 503 that says the last run finished from one that says there is no run yet', async () => {
    const text =
      (body: string): typeof fetch =>
      async () =>
        new Response(body, { status: 503 })
    const ended = fetchRunConfig('http://host:5000/', text(RUN_ENDED_REASON))
    await expect(ended).rejects.toBeInstanceOf(RunEndedError)
    await expect(ended).rejects.toBeInstanceOf(NoRunYetError)
    const noRun = fetchRunConfig('http://host:5000/', text(NO_RUN_REASON))
    await expect(noRun).rejects.toBeInstanceOf(NoRunYetError)
    await expect(noRun).rejects.not.toBeInstanceOf(RunEndedError)
  })
})

describe('fetchWebSocketSettings', () => {
  it("is the root's interval, deadline, heartbeat bundle and module, or the defaults of 3 s, 60 s and 2 s and no bundle when there is no usable config", async () => {
    const defaults = { reportingIntervalMs: 3_000, itemTimeoutMs: 60_000, heartbeatMs: 2_000 }
    expect(await fetchWebSocketSettings('http://host:5000/', respond(200, CONFIG))).toEqual({
      ...defaults,
      bundleUrl: 'http://host:5000/run/bundle.js',
      moduleName: 'test-module.cjs',
    })
    const fast = {
      ...CONFIG,
      reportingIntervalMs: 1_000,
      itemTimeoutMs: 0,
      itemTimeoutPercent: 250,
      heartbeatMs: 500,
    }
    expect(await fetchWebSocketSettings('http://host:5000/', respond(200, fast))).toEqual({
      reportingIntervalMs: 1_000,
      itemTimeoutMs: 0,
      itemTimeoutPercent: 250,
      heartbeatMs: 500,
      bundleUrl: 'http://host:5000/run/bundle.js',
      moduleName: 'test-module.cjs',
    })
    const none = { ...defaults, bundleUrl: undefined, moduleName: undefined }
    expect(await fetchWebSocketSettings('http://host:5000/', respond(404, {}))).toEqual(none)
    const bad = { ...CONFIG, reportingIntervalMs: -5 }
    expect(await fetchWebSocketSettings('http://host:5000/', respond(200, bad))).toEqual(none)
  })
})
