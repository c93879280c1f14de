/**
 * Characters a terminal acts on instead of showing them: the C0 controls (ESC starts the CSI and OSC
 * sequences that clear the screen or set the title; newlines and carriage returns forge lines), DEL, the C1
 * controls (U+009B is a CSI by itself), the Unicode line and paragraph separators, the bidirectional
 * controls that reorder what is shown, and lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it is about
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/u

/** How an unsafe character is shown: `\n`, `\t`, `\r`, else `\x1b`-style or `\u202e`-style escapes. */
function escaped(char: string): string {
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  const code = char.charCodeAt(0)
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * `text` made safe to write to a terminal as part of one line: every unsafe character (see {@link UNSAFE})
 * shown as a visible escape, so that no escape sequence reaches the terminal and a peer cannot forge lines,
 * and the result cut to `maxChars` characters (code points), its end shown as `…`. One function for every
 * text that comes from the network: volunteers' names, their error messages, close reasons.
 */
export function terminalText(text: string, maxChars: number): string {
  let shown = ''
  let length = 0
  /** The longest prefix that leaves room for the `…`. */
  let cut = ''
  for (const char of text) {
    const piece = UNSAFE.test(char) ? escaped(char) : char
    const pieceLength = piece === char ? 1 : piece.length
    if (length + pieceLength > maxChars) return `${cut}…`
    shown += piece
    length += pieceLength
    if (length <= maxChars - 1) cut = shown
  }
  return shown
}

/**
 * JSON text (whose strings escape the C0 controls already) made safe for a terminal as the same JSON: DEL,
 * the C1 controls and the other unsafe characters that `JSON.stringify` leaves raw written as `\uXXXX`.
 */
export function terminalJson(json: string): string {
  return json.replace(
    new RegExp(UNSAFE.source, 'gu'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
