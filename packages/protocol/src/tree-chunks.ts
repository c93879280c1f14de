import { MessageTooLargeError, ProtocolError } from './errors.ts'
import { MAX_LINK_ITEM_CHARS, MAX_TREE_MESSAGE_CHARS } from './constants.ts'

/**
 * Chunks on a tree link: a message whose JSON is longer than one data-channel message may carry is sent as
 * consecutive frames `~INDEX/COUNT:PART`, which the receiver joins before it parses them. Every other frame
 * is a whole message (JSON, an object: it starts with `{`, never with `~`).
 *
 * The rules a receiver keeps, so that no peer can make it buffer without limit or take a forged message:
 * - a sequence is 2 to {@link MAX_TREE_CHUNKS} chunks, numbered from 0, in order, all with the same COUNT;
 * - each PART is 1 to {@link TREE_CHUNK_CHARS} characters, and they add up to at most
 *   {@link MAX_TREE_CHUNKED_MESSAGE_CHARS};
 * - chunks of two messages never interleave, and no whole message comes between two chunks (a sender
 *   sends a message's chunks one after the other, and a data channel keeps their order).
 * Anything else is a protocol error: the link is closed with the reason.
 */

/**
 * The most characters of a message one chunk carries: the largest work message (a quarter of Chromium's
 * 256 KiB data-channel message, so three bytes of UTF-8 a character still fit) plus its header.
 */
export const TREE_CHUNK_CHARS = MAX_TREE_MESSAGE_CHARS

/**
 * The longest message a tree link carries in chunks, in characters of JSON: one item or result of the
 * largest size any link carries ({@link MAX_LINK_ITEM_CHARS}), and an ordinary message's room for the rest.
 * @default 4 Mi + 64 Ki characters
 */
export const MAX_TREE_CHUNKED_MESSAGE_CHARS = MAX_LINK_ITEM_CHARS + MAX_TREE_MESSAGE_CHARS

/** The most chunks of one message (each but the last may be one character short of full: a surrogate pair). */
export const MAX_TREE_CHUNKS = Math.ceil(MAX_TREE_CHUNKED_MESSAGE_CHARS / (TREE_CHUNK_CHARS - 1))

/** What starts a chunk's frame; a whole message never starts with it. */
const CHUNK_MARK = '~'

/** `~INDEX/COUNT:`, with at most 6 digits each (more is malformed, whatever the limits). */
const CHUNK_HEADER = /^~(\d{1,6})\/(\d{1,6}):/

/**
 * The frames that carry `text` on a tree link: itself when it fits in one, else its chunks. A cut never
 * falls inside a surrogate pair (each frame must stay valid UTF-16, or the pair would arrive as two U+FFFD).
 * Throws a {@link MessageTooLargeError} for a text over {@link MAX_TREE_CHUNKED_MESSAGE_CHARS}: the sender
 * must not make one (see `MAX_LINK_ITEM_CHARS`).
 */
export function toTreeFrames(text: string, chunkChars = TREE_CHUNK_CHARS): string[] {
  if (text.length <= chunkChars) return [text]
  if (text.length > MAX_TREE_CHUNKED_MESSAGE_CHARS) {
    throw new MessageTooLargeError(
      `a tree message of ${String(text.length)} characters: a link carries at most ${String(MAX_TREE_CHUNKED_MESSAGE_CHARS)}`,
    )
  }
  const parts: string[] = []
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + chunkChars)
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--
    parts.push(text.slice(start, end))
    start = end
  }
  const count = String(parts.length)
  return parts.map((part, index) => `${CHUNK_MARK}${String(index)}/${count}:${part}`)
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code < 0xdc00
}

/**
 * Joins the chunks of a tree link's messages, one frame at a time, keeping the rules above. One per link
 * and direction.
 */
export class TreeFrameAssembler {
  readonly #maxChars: number
  readonly #chunkChars: number
  readonly #maxChunks: number
  #parts: string[] = []
  #count = 0
  #chars = 0

  constructor(maxChars = MAX_TREE_CHUNKED_MESSAGE_CHARS, chunkChars = TREE_CHUNK_CHARS) {
    this.#maxChars = maxChars
    this.#chunkChars = chunkChars
    this.#maxChunks = Math.ceil(maxChars / (chunkChars - 1))
  }

  /** Whether a chunked message has begun and is not complete yet. */
  get pending(): boolean {
    return this.#count > 0
  }

  /**
   * Takes one frame: returns a whole message's text (the frame itself, or the last chunk's message), or
   * `undefined` while more chunks are due. Throws a {@link ProtocolError} (a {@link MessageTooLargeError}
   * for one over the bounds) for a frame that breaks the rules; the link is then to be closed.
   */
  take(frame: string): string | undefined {
    if (!frame.startsWith(CHUNK_MARK)) {
      if (this.pending) throw this.#broken(`a whole message inside a chunked one`)
      return frame
    }
    const header = CHUNK_HEADER.exec(frame)
    if (header === null) throw new ProtocolError('a malformed chunk header')
    const index = Number(header[1])
    const count = Number(header[2])
    const part = frame.slice(header[0].length)
    this.#check(index, count, part.length)
    this.#parts.push(part)
    this.#count = count
    this.#chars += part.length
    if (this.#chars > this.#maxChars) {
      throw new MessageTooLargeError(
        `a chunked message over ${String(this.#maxChars)} characters (${String(this.#chars)} in ${String(index + 1)} chunks)`,
      )
    }
    if (index < count - 1) return undefined
    const text = this.#parts.join('')
    this.#parts = []
    this.#count = 0
    this.#chars = 0
    return text
  }

  #check(index: number, count: number, length: number): void {
    if (count > this.#maxChunks) {
      throw new MessageTooLargeError(
        `a chunked message of ${String(count)} chunks: at most ${String(this.#maxChunks)}`,
      )
    }
    if (count < 2) throw new ProtocolError(`a chunked message of ${String(count)} chunk`)
    const expected = this.#parts.length
    if (index !== expected) throw this.#broken(`chunk ${String(index)}`)
    if (expected > 0 && count !== this.#count) throw this.#broken(`a chunk of ${String(count)}`)
    if (length === 0 || length > this.#chunkChars) {
      throw new ProtocolError(`a chunk of ${String(length)} characters: 1 to ${String(this.#chunkChars)}`)
    }
  }

  #broken(what: string): ProtocolError {
    const due = this.pending
      ? `chunk ${String(this.#parts.length)} of ${String(this.#count)} was due`
      : 'no chunked message had begun'
    return new ProtocolError(`${what} where ${due}`)
  }
}
