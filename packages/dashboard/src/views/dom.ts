import { InvariantError } from '@pando/protocol'

/** The element with this id, of this type; throws if the page lacks it. */
export function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id)
  if (!(found instanceof type)) throw new InvariantError(`the page has no #${id}`)
  return found
}

/** A new element with a class and text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  name: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(name)
  if (className !== undefined) created.className = className
  if (text !== undefined) created.textContent = text
  return created
}
