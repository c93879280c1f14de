/** An event map: event name → the arguments its listeners receive. */
export type EventMap<E> = { [K in keyof E]: unknown[] }

/** A listener of event `K` of map `E`. */
export type Listener<E extends EventMap<E>, K extends keyof E> = (...args: E[K]) => void

/** What can be listened to: the `on`/`off` half of an emitter, as channels and tree nodes expose it. */
export interface Subscribable<E extends EventMap<E>> {
  /** Calls `listener` on every `event` until `off`. */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): void
  /** Stops calling `listener` on `event`; does nothing if it was not listening. */
  off<K extends keyof E>(event: K, listener: Listener<E, K>): void
}

/**
 * A small typed event emitter that runs on every platform (no Node `events`, no DOM `EventTarget`).
 * Listeners run synchronously, in the order they were added; a listener added or removed during an emit
 * takes effect from the next emit.
 */
export class Emitter<E extends EventMap<E>> implements Subscribable<E> {
  private readonly listeners = new Map<keyof E, Array<Listener<E, keyof E>>>()

  on<K extends keyof E>(event: K, listener: Listener<E, K>): void {
    const list = this.listeners.get(event) ?? []
    this.listeners.set(event, [...list, listener as Listener<E, keyof E>])
  }

  off<K extends keyof E>(event: K, listener: Listener<E, K>): void {
    const list = this.listeners.get(event)
    if (list === undefined) return
    const index = list.indexOf(listener as Listener<E, keyof E>)
    if (index >= 0) this.listeners.set(event, [...list.slice(0, index), ...list.slice(index + 1)])
  }

  /** Calls every listener of `event` with `args`. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.listeners.get(event)
    if (list === undefined) return
    for (const listener of list) (listener as Listener<E, K>)(...args)
  }

  /** Removes every listener. */
  removeAllListeners(): void {
    this.listeners.clear()
  }
}
