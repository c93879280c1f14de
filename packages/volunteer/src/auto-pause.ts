// The tab pauses by itself, when its volunteer asked for it: while it is hidden, or while the device runs
// on battery (where the browser tells: `navigator.getBattery`, Chromium's; others say nothing).

/** Why a tab is paused: its volunteer pressed Pause, the tab is hidden, or the device runs on battery. */
export type PauseReason = 'you' | 'hidden' | 'battery'

/** The part of a `BatteryManager` the page reads. */
interface BatteryLike extends EventTarget {
  readonly charging: boolean
}

/** Calls `onHidden` with whether `doc` is hidden, now and at each change. */
export function watchVisibility(doc: Document, onHidden: (hidden: boolean) => void): void {
  doc.addEventListener('visibilitychange', () => onHidden(doc.visibilityState === 'hidden'))
  onHidden(doc.visibilityState === 'hidden')
}

/**
 * Calls `onBattery` with whether the device runs on battery (not charging), now and at each change, where
 * the browser has `getBattery`; elsewhere never (the tab is taken to be plugged in).
 */
export async function watchBattery(nav: Navigator, onBattery: (onBattery: boolean) => void): Promise<void> {
  const getBattery = (nav as Navigator & { getBattery?: () => Promise<BatteryLike> }).getBattery
  if (typeof getBattery !== 'function') return
  try {
    const battery = await getBattery.call(nav)
    battery.addEventListener('chargingchange', () => onBattery(!battery.charging))
    onBattery(!battery.charging)
  } catch {
    // No battery information (refused, or no battery): nothing to follow.
  }
}

/**
 * The reasons a tab is paused for, each set and cleared on its own; the tab is paused while any holds. The
 * volunteer's Resume clears its own pause and the battery's (it chose to compute anyway, until the next
 * change of power); a hidden tab resumes once shown.
 */
export class PauseReasons {
  readonly #reasons = new Set<PauseReason>()

  get paused(): boolean {
    return this.#reasons.size > 0
  }

  /** The reason shown: the volunteer's own first. */
  get shown(): PauseReason | undefined {
    for (const reason of ['you', 'hidden', 'battery'] as const) if (this.#reasons.has(reason)) return reason
    return undefined
  }

  /** Sets or clears `reason`; returns whether the tab's paused state changed. */
  set(reason: PauseReason, on: boolean): boolean {
    const before = this.paused
    if (on) this.#reasons.add(reason)
    else this.#reasons.delete(reason)
    return before !== this.paused
  }

  /** The volunteer pressed Resume. Returns whether the tab's paused state changed. */
  resumeByVolunteer(): boolean {
    const before = this.paused
    this.#reasons.delete('you')
    this.#reasons.delete('battery')
    return before !== this.paused
  }
}
