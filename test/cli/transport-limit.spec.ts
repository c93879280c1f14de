// An item larger than any link to a volunteer carries is a transport limit: named as such on stderr (not as
// a failure of the function), never lent nor retried, then --on-error applies. No volunteer is needed to see
// it: the root refuses the item before lending it.
import { describe, expect, it } from 'vitest'
import { MAX_LINK_ITEM_CHARS } from '@pando/protocol'
import { runPando } from '../../harness/pando-process.ts'

const OVERSIZE = 'x'.repeat(MAX_LINK_ITEM_CHARS - 1)
const MESSAGE =
  `a transport limit on line 1 of standard input, "${'x'.repeat(59)}…" (never sent, not a failure of the ` +
  `function): the item is ${String(MAX_LINK_ITEM_CHARS + 3)} characters of JSON; a link to a volunteer ` +
  `carries at most ${String(MAX_LINK_ITEM_CHARS)}`

describe('an item larger than any link carries', () => {
  it('stops the run with --on-error abort: named as a transport limit on stderr, status 1, with no volunteer', async () => {
    // 4 Mi characters, a quote among them: as JSON (quoted, the quote escaped), 3 over the limit.
    const result = await runPando(['examples/square.js', '--stdin', '--port', '0', '--quiet'], {
      input: `${OVERSIZE}"\n2\n`,
    })
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`\npando: ${MESSAGE}\n`)
    expect(result.stderr).not.toMatch(/the function failed/)
    expect(result.code).toBe(1)
  })
})
