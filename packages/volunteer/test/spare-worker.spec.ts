import { describe, expect, it } from 'vitest'
import { SpareWorker } from '../src/spare-worker.ts'

interface FakeWorker {
  readonly bundleUrl: string
  terminated: boolean
  terminate(): void
}

/** Starts fake Workers and keeps each one made. */
function starter(): { start: (bundleUrl: string) => Promise<FakeWorker>; made: FakeWorker[] } {
  const made: FakeWorker[] = []
  const start = (bundleUrl: string): Promise<FakeWorker> => {
    const worker: FakeWorker = {
      bundleUrl,
      terminated: false,
      terminate() {
        worker.terminated = true
      },
    }
    made.push(worker)
    return Promise.resolve(worker)
  }
  return { start, made }
}

describe('SpareWorker', () => {
  it('hands the prestarted Worker to the first take of its bundle, and starts a new one after', async () => {
    const { start, made } = starter()
    const spare = new SpareWorker(start)
    spare.prestart('http://host/run/bundle.js')
    spare.prestart('http://host/run/bundle.js')
    expect(made).toHaveLength(1)
    expect(await spare.take('http://host/run/bundle.js')).toBe(made[0])
    expect(await spare.take('http://host/run/bundle.js')).toBe(made[1])
    expect(made.map((worker) => worker.terminated)).toEqual([false, false])
  })

  it('starts a Worker when none was prestarted', async () => {
    const { start, made } = starter()
    expect(await new SpareWorker(start).take('http://host/a.js')).toBe(made[0])
    expect(made.map((worker) => worker.bundleUrl)).toEqual(['http://host/a.js'])
  })

  it('ends a spare that runs another bundle, and starts one for the bundle asked', async () => {
    const { start, made } = starter()
    const spare = new SpareWorker(start)
    spare.prestart('http://host/old.js')
    const worker = await spare.take('http://host/new.js')
    expect(worker.bundleUrl).toBe('http://host/new.js')
    await Promise.resolve()
    expect(made.map((each) => [each.bundleUrl, each.terminated])).toEqual([
      ['http://host/old.js', true],
      ['http://host/new.js', false],
    ])
  })

  it('passes a failed load on to the session that takes the spare', async () => {
    const spare = new SpareWorker<FakeWorker>(() => Promise.reject(new Error('no module')))
    spare.prestart('http://host/a.js')
    await expect(spare.take('http://host/a.js')).rejects.toThrow('no module')
  })
})
