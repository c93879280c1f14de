/**
 * Sets `target`'s text, unless it already reads so: setting it anew, even to the same text, replaces its text
 * node and costs the page a frame (style, layout, paint) taken from its Workers' cores.
 */
export function showText(target: HTMLElement, text: string): void {
  if (target.textContent !== text) target.textContent = text
}
