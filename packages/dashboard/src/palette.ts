/** Colours of the volunteers (Tableau 10), the same in every chart, the table and the tree. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const

/** Colour of the "others" band. */
export const OTHERS_COLOR = '#c7ccd4'

/** Gives each key a colour of the palette, in order of first request, and keeps it. */
export class ColorRegistry {
  readonly #colors = new Map<string, string>()

  colorOf(key: string): string {
    let color = this.#colors.get(key)
    if (color === undefined) {
      color = PALETTE[this.#colors.size % PALETTE.length] ?? PALETTE[0]
      this.#colors.set(key, color)
    }
    return color
  }
}

/** `color` (#rrggbb) mixed with white: `amount` 0 gives it unchanged, 1 gives white. */
export function lighten(color: string, amount: number): string {
  const channels = [1, 3, 5].map((start) => parseInt(color.slice(start, start + 2), 16))
  const mixed = channels.map((c) => Math.round(c + (255 - c) * amount))
  return `#${mixed.map((c) => c.toString(16).padStart(2, '0')).join('')}`
}
