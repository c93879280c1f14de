import { describe, expect, it } from 'vitest'
import { MAX_CLOSE_REASON_BYTES, fitCloseReason, utf8Length } from '../src/close-codes.ts'

describe('utf8Length', () => {
  it('counts the bytes Node encodes, lone surrogates included', () => {
    for (const text of ['', 'ascii', 'é', '€', '😀', 'a😀b', '\ud800', '\udc00x', '\ud83d\ud83d\ude00']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'))
    }
  })
})

describe('fitCloseReason', () => {
  it('keeps a reason that fits', () => {
    expect(fitCloseReason('wrong secret')).toBe('wrong secret')
    expect(fitCloseReason('x'.repeat(MAX_CLOSE_REASON_BYTES))).toBe('x'.repeat(MAX_CLOSE_REASON_BYTES))
  })

  it('cuts a long reason to 123 bytes of UTF-8, whatever its characters', () => {
    expect(fitCloseReason('x'.repeat(500))).toBe('x'.repeat(123))
    const euros = fitCloseReason('€'.repeat(100))
    expect(euros).toBe('€'.repeat(41))
    expect(Buffer.byteLength(euros, 'utf8')).toBe(123)
    const faces = fitCloseReason('😀'.repeat(40))
    expect(Buffer.byteLength(faces, 'utf8')).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES)
    expect(faces.startsWith('😀'.repeat(30))).toBe(true)
  })
})
