import { describe, expect, it } from 'vitest'
import {
  MAX_LINK_ITEM_CHARS,
  MAX_TREE_CHUNKED_MESSAGE_CHARS,
  MAX_TREE_CHUNKS,
  TREE_CHUNK_CHARS,
  TreeFrameAssembler,
  toTreeFrames,
} from '../src/index.ts'

/** Feeds every frame to `assembler` and returns the whole messages it gave back. */
function takeAll(assembler: TreeFrameAssembler, frames: readonly string[]): string[] {
  const whole: string[] = []
  for (const frame of frames) {
    const text = assembler.take(frame)
    if (text !== undefined) whole.push(text)
  }
  return whole
}

describe('toTreeFrames', () => {
  it('sends a message that fits in one frame as it is', () => {
    const text = JSON.stringify({ type: 'jobs', jobs: { ids: [1], values: '["x"]' } })
    expect(toTreeFrames(text)).toEqual([text])
    expect(toTreeFrames('x'.repeat(TREE_CHUNK_CHARS))).toHaveLength(1)
  })

  it('cuts a longer one into numbered chunks of at most TREE_CHUNK_CHARS characters', () => {
    const text = `{"v":"${'a'.repeat(2.5 * TREE_CHUNK_CHARS)}"}`
    const frames = toTreeFrames(text)
    expect(frames).toHaveLength(3)
    expect(frames.map((frame) => frame.slice(0, frame.indexOf(':') + 1))).toEqual(['~0/3:', '~1/3:', '~2/3:'])
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(TREE_CHUNK_CHARS + 16)
  })

  it('never cuts inside a surrogate pair', () => {
    const text = `{"v":"${'😀'.repeat(TREE_CHUNK_CHARS)}"}` // the pairs straddle every even cut
    const frames = toTreeFrames(text, 1_001)
    for (const frame of frames) {
      const last = frame.charCodeAt(frame.length - 1)
      expect(last >= 0xd800 && last < 0xdc00).toBe(false)
    }
    expect(takeAll(new TreeFrameAssembler(MAX_TREE_CHUNKED_MESSAGE_CHARS, 1_001), frames)).toEqual([text])
  })

  it('refuses a message over MAX_TREE_CHUNKED_MESSAGE_CHARS: the sender must not make one', () => {
    expect(() => toTreeFrames('x'.repeat(MAX_TREE_CHUNKED_MESSAGE_CHARS + 1))).toThrow(
      expect.objectContaining({ name: 'MessageTooLargeError' }),
    )
  })
})

describe('TreeFrameAssembler', () => {
  describe('#take', () => {
    it('gives back a whole message at once', () => {
      expect(new TreeFrameAssembler().take('{"type":"heartbeat"}')).toBe('{"type":"heartbeat"}')
    })

    it('joins the chunks of a message of the largest item a link carries, then takes whole messages again', () => {
      const item = 'é'.repeat(MAX_LINK_ITEM_CHARS - 2)
      const text = JSON.stringify({ type: 'jobs', jobs: { ids: [7], values: JSON.stringify([item]) } })
      const assembler = new TreeFrameAssembler()
      const frames = toTreeFrames(text)
      expect(frames.length).toBeGreaterThan(60)
      expect(takeAll(assembler, [...frames, '{}', ...toTreeFrames(`"${'b'.repeat(100_000)}"`)])).toEqual([
        text,
        '{}',
        `"${'b'.repeat(100_000)}"`,
      ])
      expect(assembler.pending).toBe(false)
    })

    it('refuses two messages interleaved, or a whole message between two chunks', () => {
      const one = toTreeFrames('a'.repeat(3 * TREE_CHUNK_CHARS))
      const two = toTreeFrames('b'.repeat(3 * TREE_CHUNK_CHARS))
      const interleaved = new TreeFrameAssembler()
      interleaved.take(one[0] as string)
      expect(() => interleaved.take(two[0] as string)).toThrow('chunk 0 where chunk 1 of 3 was due')
      const whole = new TreeFrameAssembler()
      whole.take(one[0] as string)
      expect(() => whole.take('{"type":"heartbeat"}')).toThrow(
        'a whole message inside a chunked one where chunk 1 of 3 was due',
      )
    })

    it('refuses chunks out of order, a changing count, and a sequence that does not start at 0', () => {
      const frames = toTreeFrames('a'.repeat(3 * TREE_CHUNK_CHARS))
      const skipped = new TreeFrameAssembler()
      skipped.take(frames[0] as string)
      expect(() => skipped.take(frames[2] as string)).toThrow('chunk 2 where chunk 1 of 3 was due')
      const recounted = new TreeFrameAssembler()
      recounted.take('~0/3:abc')
      expect(() => recounted.take('~1/4:abc')).toThrow('a chunk of 4 where chunk 1 of 3 was due')
      expect(() => new TreeFrameAssembler().take('~1/3:abc')).toThrow(
        'chunk 1 where no chunked message had begun',
      )
    })

    it('refuses malformed headers, one-chunk sequences, and empty or oversized chunks', () => {
      for (const frame of ['~', '~0/3', '~a/3:x', '~-1/3:x', '~0/1234567:x', '~0 /3:x']) {
        expect(() => new TreeFrameAssembler().take(frame), frame).toThrow('a malformed chunk header')
      }
      expect(() => new TreeFrameAssembler().take('~0/1:x')).toThrow('a chunked message of 1 chunk')
      expect(() => new TreeFrameAssembler().take('~0/2:')).toThrow('a chunk of 0 characters')
      expect(() => new TreeFrameAssembler(1_000, 10).take(`~0/2:${'x'.repeat(11)}`)).toThrow(
        'a chunk of 11 characters: 1 to 10',
      )
    })

    it('refuses, before buffering it, a sequence announcing more chunks than the cap allows', () => {
      expect(() => new TreeFrameAssembler().take(`~0/${String(MAX_TREE_CHUNKS + 1)}:x`)).toThrow(
        expect.objectContaining({ name: 'MessageTooLargeError' }),
      )
    })

    it('refuses a sequence whose chunks add up to more than its cap, as soon as they do', () => {
      const assembler = new TreeFrameAssembler(25, 10)
      assembler.take(`~0/3:${'x'.repeat(10)}`)
      assembler.take(`~1/3:${'x'.repeat(10)}`)
      expect(() => assembler.take(`~2/3:${'x'.repeat(10)}`)).toThrow(
        'a chunked message over 25 characters (30 in 3 chunks)',
      )
    })
  })
})
