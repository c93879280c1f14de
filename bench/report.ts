import { formatNumber } from './context.ts'
import type { Column, Figure, ScenarioResult, TargetCheck } from './result.ts'

function formatFigure(value: Figure, column: Column): string {
  if (value === undefined) return 'n/a'
  if (typeof value === 'string') return value
  return formatNumber(value, column.digits ?? 0)
}

function formatTarget(target: TargetCheck | undefined): [string, string] {
  if (target === undefined) return ['', '']
  const verdict = target.met === undefined ? 'n/a' : target.met ? 'met' : 'NOT MET'
  return [target.text, target.note === undefined ? verdict : `${verdict} (${target.note})`]
}

/** Left-aligned text columns, right-aligned figures. */
function layout(header: readonly string[], body: readonly string[][], numeric: readonly boolean[]): string {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...body.map((row) => row[index]?.length ?? 0)),
  )
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) =>
        numeric[index] === true ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n')
}

/** A scenario's table, with its target column and notes, as printed. */
export function formatScenario(result: ScenarioResult): string {
  const title = `== ${result.name}: ${result.measures}`
  if (result.error !== undefined) return `${title}\nfailed: ${result.error}\n`
  const hasTargets = result.rows.some((row) => row.target !== undefined)
  const header = ['configuration', ...result.columns.map((column) => column.title)]
  if (hasTargets) header.push('target', 'met?')
  const numeric = [false, ...result.columns.map(() => true), false, false]
  const body = result.rows.map((row) => {
    const cells = [
      row.label,
      ...result.columns.map((column) => formatFigure(row.figures[column.key], column)),
    ]
    if (hasTargets) cells.push(...formatTarget(row.target))
    return cells
  })
  const notes = result.notes.map((note) => `  - ${note}`)
  return [title, layout(header, body, numeric), ...notes, ''].join('\n')
}

/** Every target, one line each: the summary at the end of a run. */
export function formatTargets(results: readonly ScenarioResult[]): string {
  const lines = results.flatMap((result) =>
    result.rows
      .filter((row) => row.target !== undefined)
      .map((row) => {
        const [text, verdict] = formatTarget(row.target)
        return `  ${result.name} / ${row.label}: ${text}: ${verdict}`
      }),
  )
  return ['== targets', ...lines, ''].join('\n')
}
