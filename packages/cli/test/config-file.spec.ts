import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { givenConfigFile, ignoredConfigMessage, parseConfig, readConfigFile } from '../src/config-file.ts'

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
        '(the keys are the option names: stdin, local, sync-stdio, retries, max-result-size, replicas, max-replicas, spot-check, on-error, error-marker, port, listen, open, allow-host, batch-size, heartbeat, item-timeout, ' +
        'start-idle, degree, bootstrap-timeout, ice-addresses, ice-servers, turn-secret, turn-username, turn-credential, reporting-interval, progress, quiet, qr, volunteers, workers, host, secret, seed, ' +
        'journal, resume, resume-failed, joblog, cache, cache-size, null, arg-file, jobs, tag, dry-run, halt): fix or remove it',
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

describe('readConfigFile: --config and the XDG location', () => {
  const home = (): string => mkdtempSync(join(tmpdir(), 'pando-home-'))
  const write = (path: string, text: string): void => {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, text)
  }

  it('reads ~/.config/pando/config.json, or $XDG_CONFIG_HOME/pando/config.json', () => {
    const dir = home()
    write(join(dir, '.config', 'pando', 'config.json'), '{"retries": 4}')
    expect(readConfigFile(dir)).toEqual({
      path: join(dir, '.config/pando/config.json'),
      values: { retries: 4 },
    })
    write(join(dir, 'xdg', 'pando', 'config.json'), '{"retries": 6}')
    expect(readConfigFile(dir, { env: { XDG_CONFIG_HOME: join(dir, 'xdg') } }).values).toEqual({ retries: 6 })
    // A relative $XDG_CONFIG_HOME is ignored, as the XDG specification says.
    expect(readConfigFile(dir, { env: { XDG_CONFIG_HOME: 'xdg' } }).values).toEqual({ retries: 4 })
  })

  it('reads the XDG file when both exist, and names the legacy one it ignores', () => {
    const dir = home()
    write(join(dir, '.config', 'pando', 'config.json'), '{"retries": 4}')
    write(join(dir, '.pando', 'config.json'), '{"retries": 5}')
    const config = readConfigFile(dir)
    expect(config).toEqual({
      path: join(dir, '.config/pando/config.json'),
      values: { retries: 4 },
      ignored: join(dir, '.pando/config.json'),
    })
    expect(ignoredConfigMessage(config)).toBe(
      `${join(dir, '.pando/config.json')} is ignored: ${join(dir, '.config/pando/config.json')} is read instead ` +
        '(merge them, and remove one)',
    )
  })

  it('reads the file --config names instead, which must exist', () => {
    const dir = home()
    write(join(dir, '.config', 'pando', 'config.json'), '{"retries": 4}')
    write(join(dir, 'mine.json'), '{"retries": 7, "heartbeat": "3s", "reporting-interval": 2}')
    expect(readConfigFile(dir, { given: 'mine.json', cwd: dir })).toEqual({
      path: join(dir, 'mine.json'),
      values: { retries: 7, heartbeat: 3_000, 'reporting-interval': 2_000 },
    })
    expect(() => readConfigFile(dir, { given: 'none.json', cwd: dir })).toThrow(
      `the configuration file ${join(dir, 'none.json')} given by --config does not exist: fix the path, or drop --config`,
    )
  })

  it('finds --config FILE, --config=FILE or -c FILE before --, else $PANDO_CONFIG', () => {
    expect(givenConfigFile(['m.js', '--config', 'a.json'])).toBe('a.json')
    expect(givenConfigFile(['--config=b.json', 'm.js'])).toBe('b.json')
    expect(givenConfigFile(['-c', 'c.json', 'm.js'], { PANDO_CONFIG: 'env.json' })).toBe('c.json')
    expect(givenConfigFile(['m.js', '--', '-c', 'item'], { PANDO_CONFIG: 'env.json' })).toBe('env.json')
    expect(givenConfigFile(['m.js'])).toBeUndefined()
  })

  it('refuses "config" in a configuration file, and a bad time', () => {
    expect(() => parseConfig('{"config": "other.json"}', PATH)).toThrow(
      'sets "config", which only the command line or $PANDO_CONFIG can',
    )
    expect(() => parseConfig('{"heartbeat": "2 s"}', PATH)).toThrow(
      '"heartbeat" in the configuration file /home/u/.pando/config.json must be a time of 100ms or more',
    )
  })
})
