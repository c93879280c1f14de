import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseConfig, readConfigFile } from '../src/config-file.ts'

const PATH = '/home/u/.pando/config.json'

describe('parseConfig', () => {
  it('reads every option, booleans set to false included', () => {
    expect(parseConfig('{"stdin": false, "local": true, "sync-stdio": false, "retries": 0}', PATH)).toEqual({
      stdin: false,
      local: true,
      'sync-stdio': false,
      retries: 0,
    })
    expect(parseConfig('{}', PATH)).toEqual({})
  })

  it('refuses text that is not JSON', () => {
    expect(() => parseConfig('{"local": tru', PATH)).toThrow(
      /^the configuration file \/home\/u\/\.pando\/config\.json is not valid JSON \(.+\): fix or remove it$/,
    )
  })

  it('refuses JSON that is not an object', () => {
    expect(() => parseConfig('[1]', PATH)).toThrow(
      'must hold a JSON object such as {"local": true, "retries": 3}',
    )
    expect(() => parseConfig('null', PATH)).toThrow('must hold a JSON object')
  })

  it('refuses a key that is not an option', () => {
    expect(() => parseConfig('{"threads": 5}', PATH)).toThrow(
      'the configuration file /home/u/.pando/config.json sets "threads", which is not an option ' +
        '(the keys are the option names: stdin, local, sync-stdio, retries, max-result-size, on-error, error-marker, port, listen, open, allow-host, batch-size, heartbeat, item-timeout, ' +
        'start-idle, degree, bootstrap-timeout, ice-addresses, ice-servers, turn-secret, turn-username, turn-credential, reporting-interval, progress, quiet, qr, volunteers, workers, host, secret, seed, ' +
        'journal, resume, resume-failed, joblog, cache, cache-size): fix or remove it',
    )
  })

  it('refuses a value of the wrong type', () => {
    expect(() => parseConfig('{"local": "yes"}', PATH)).toThrow(
      '"local" in the configuration file /home/u/.pando/config.json must be true or false, not "yes": fix or remove it',
    )
    expect(() => parseConfig('{"retries": -1}', PATH)).toThrow('must be a whole number of 0 or more, not -1')
    expect(() => parseConfig('{"retries": 1.5}', PATH)).toThrow('not 1.5')
    expect(() => parseConfig('{"retries": "3"}', PATH)).toThrow('not "3"')
  })
})

describe('readConfigFile', () => {
  it('sets nothing when the file does not exist', () => {
    const home = mkdtempSync(join(tmpdir(), 'pando-home-'))
    expect(readConfigFile(home)).toEqual({ path: join(home, '.pando', 'config.json'), values: {} })
  })

  it('reads ~/.pando/config.json', () => {
    const home = mkdtempSync(join(tmpdir(), 'pando-home-'))
    mkdirSync(join(home, '.pando'))
    writeFileSync(join(home, '.pando', 'config.json'), '{"retries": 5}')
    expect(readConfigFile(home).values).toEqual({ retries: 5 })
  })

  it('reports a file it cannot read', () => {
    const home = mkdtempSync(join(tmpdir(), 'pando-home-'))
    mkdirSync(join(home, '.pando', 'config.json'), { recursive: true })
    expect(() => readConfigFile(home)).toThrow(
      /^cannot read the configuration file .+ \(EISDIR.*\): fix or remove it$/,
    )
  })
})
