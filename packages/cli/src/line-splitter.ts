/**
 * Cuts text arriving in chunks into lines, as the original Pando did (`split` with `trailing: false`):
 * - a line ends at '\n', and a '\r' just before it is dropped (Windows line ends);
 * - every line is an item, empty ones included, except an empty last line: "a\nb\n" and "a\nb" are both two
 *   lines, "\n" is one empty line, "" is none.
 *
 * With another `separator` (`--null`: '\0'), records end at it instead, by the same rules, and a '\r' is kept.
 *
 * Linear in the text's length: the unfinished line is kept as the chunks that make it, joined once its end
 * comes, so a line of many chunks is not copied and searched again at each chunk.
 */
export class LineSplitter {
  /** The chunks of the line not yet ended. */
  private rest: string[] = []
  private readonly separator: string
  private readonly strip: (line: string) => string

  constructor(separator = '\n') {
    this.separator = separator
    this.strip = separator === '\n' ? stripCarriageReturn : (line) => line
  }

  /** Takes the next chunk; returns the lines it completes. */
  push(chunk: string): string[] {
    if (!chunk.includes(this.separator)) {
      if (chunk !== '') this.rest.push(chunk)
      return []
    }
    const pieces = chunk.split(this.separator)
    pieces[0] = this.takeRest() + (pieces[0] ?? '')
    const last = pieces.pop() ?? ''
    if (last !== '') this.rest.push(last)
    return pieces.map(this.strip)
  }

  /** Ends the text; returns its last line when it is not empty. */
  end(): string[] {
    const last = this.strip(this.takeRest())
    return last === '' ? [] : [last]
  }

  private takeRest(): string {
    const rest = this.rest.join('')
    this.rest = []
    return rest
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
