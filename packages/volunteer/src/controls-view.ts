import { CPU_LIMITS, MAX_TAB_WORKERS } from '@pando/protocol'
import { showText } from './show-text.ts'
import type { CpuLimit, TabSettings } from './tab-settings.ts'

/** What the volunteer can change, as the controls report it. */
export interface ControlsListener {
  onWorkers(workers: number): void
  onCpuLimit(cpuLimit: CpuLimit): void
  /** The Pause / Resume button: `true` to pause. */
  onPause(paused: boolean): void
  onPauseWhenHidden(enabled: boolean): void
  onPauseOnBattery(enabled: boolean): void
}

function labelled(doc: Document, text: string, control: HTMLElement): HTMLLabelElement {
  const label = doc.createElement('label')
  label.append(text, ' ', control)
  return label
}

/** `#workers`: a number input, 1 to `MAX_TAB_WORKERS`; `onWorkers` hears each valid count set. */
function workersInput(doc: Document, workers: number, onWorkers: (count: number) => void): HTMLInputElement {
  const input = doc.createElement('input')
  input.id = 'workers'
  input.type = 'number'
  input.min = '1'
  input.max = String(MAX_TAB_WORKERS)
  input.value = String(workers)
  input.addEventListener('change', () => {
    const count = Number(input.value)
    if (Number.isSafeInteger(count) && count >= 1 && count <= MAX_TAB_WORKERS) onWorkers(count)
  })
  return input
}

/** `#cpu-limit`: a select of the `CPU_LIMITS`; `onCpuLimit` hears each one chosen. */
function cpuLimitSelect(
  doc: Document,
  cpuLimit: CpuLimit,
  onCpuLimit: (limit: CpuLimit) => void,
): HTMLSelectElement {
  const select = doc.createElement('select')
  select.id = 'cpu-limit'
  for (const limit of CPU_LIMITS) {
    const option = doc.createElement('option')
    option.value = String(limit)
    option.textContent = `${String(limit)} %`
    select.append(option)
  }
  select.value = String(cpuLimit)
  select.addEventListener('change', () => {
    const limit = CPU_LIMITS.find((value) => String(value) === select.value)
    if (limit !== undefined) onCpuLimit(limit)
  })
  return select
}

/** A checkbox `id`; `onChange` hears each change. */
function checkbox(
  doc: Document,
  id: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLInputElement {
  const box = doc.createElement('input')
  box.type = 'checkbox'
  box.id = id
  box.checked = checked
  box.addEventListener('change', () => onChange(box.checked))
  return box
}

/**
 * The volunteer's controls, in a `<section id="controls">` added to the page's `<main>`: `#workers` (a number
 * input, 1 to `MAX_TAB_WORKERS`), `#cpu-limit` (a select: 100, 75, 50, 25 %), `#pause` (a button reading
 * "Pause" or "Resume", `data-paused` "true" while paused, and `#paused-note` saying why), the two automatic
 * pauses `#pause-when-hidden` and `#pause-on-battery` (checkboxes), and `#duty-cycle`, the share of their time
 * the Workers computed (while a CPU-use setting below 100 % makes them rest). Tests rely on these ids.
 */
export class ControlsView {
  readonly #workers: HTMLInputElement
  readonly #cpuLimit: HTMLSelectElement
  readonly #pause: HTMLButtonElement
  readonly #pausedNote: HTMLElement
  readonly #pauseWhenHidden: HTMLInputElement
  readonly #pauseOnBattery: HTMLInputElement
  readonly #dutyCycle: HTMLElement

  constructor(doc: Document, settings: TabSettings, listener: ControlsListener) {
    const section = doc.createElement('section')
    section.id = 'controls'
    section.setAttribute('aria-label', 'Your controls')

    this.#workers = workersInput(doc, settings.workers, (count) => listener.onWorkers(count))
    this.#cpuLimit = cpuLimitSelect(doc, settings.cpuLimit, (limit) => listener.onCpuLimit(limit))
    this.#pause = doc.createElement('button')
    this.#pause.id = 'pause'
    this.#pause.type = 'button'
    this.#pause.addEventListener('click', () => listener.onPause(this.#pause.dataset.paused !== 'true'))
    this.#pausedNote = doc.createElement('span')
    this.#pausedNote.id = 'paused-note'
    this.#pauseWhenHidden = checkbox(doc, 'pause-when-hidden', settings.pauseWhenHidden, (on) =>
      listener.onPauseWhenHidden(on),
    )
    this.#pauseOnBattery = checkbox(doc, 'pause-on-battery', settings.pauseOnBattery, (on) =>
      listener.onPauseOnBattery(on),
    )
    this.#dutyCycle = doc.createElement('span')
    this.#dutyCycle.id = 'duty-cycle'

    const row = (...children: (Node | string)[]): HTMLParagraphElement => {
      const paragraph = doc.createElement('p')
      paragraph.append(...children)
      return paragraph
    }
    section.append(
      row(labelled(doc, 'Workers', this.#workers), ' ', labelled(doc, 'CPU use', this.#cpuLimit)),
      row(this.#pause, ' ', this.#pausedNote),
      row(
        labelled(doc, 'Pause when this tab is hidden', this.#pauseWhenHidden),
        ' ',
        labelled(doc, 'Pause on battery', this.#pauseOnBattery),
      ),
      row("Workers' busy share: ", this.#dutyCycle),
    )
    ;(doc.querySelector('main') ?? doc.body).append(section)
    this.setPaused(false, undefined)
    this.setDutyCycle(100)
  }

  /** Shows whether the tab is paused, and why (`'you'`, `'hidden'`, `'battery'`). */
  setPaused(paused: boolean, reason: string | undefined): void {
    this.#pause.dataset.paused = String(paused)
    this.#pause.textContent = paused ? 'Resume' : 'Pause'
    this.#pausedNote.textContent = paused ? `paused${reason === undefined ? '' : ` (${reason})`}` : ''
  }

  setWorkers(workers: number): void {
    this.#workers.value = String(workers)
  }

  /** The Workers' busy share, in percent. */
  setDutyCycle(percent: number): void {
    showText(this.#dutyCycle, `${String(Math.round(percent))} %`)
  }
}
