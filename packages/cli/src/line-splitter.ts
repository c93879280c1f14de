/**
 * Cuts text arriving in chunks into lines, as the original Pando did (`split` with `trailing: false`):
 * - a line ends at '\n', and a '\r' just before it is dropped (Windows line ends);
 * - every line is an item, empty ones included, except an empty last line: "a\nb\n" and "a\nb" are both two
 *   lines, "\n" is one empty line, "" is none.
 */
export class LineSplitter {
  private rest = ''

  /** Takes the next chunk; returns the lines it completes. */
  push(chunk: string): string[] {
    const pieces = (this.rest + chunk).split('\n')
    this.rest = pieces.pop() ?? ''
    return pieces.map(stripCarriageReturn)
  }

  /** Ends the text; returns its last line when it is not empty. */
  end(): string[] {
    const last = stripCarriageReturn(this.rest)
    this.rest = ''
    return last === '' ? [] : [last]
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
