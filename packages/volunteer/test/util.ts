// Test doubles shared by the unit tests.

/** A WebSocket stand-in the test opens, feeds and closes by hand. */
export class FakeSocket extends EventTarget {
  static readonly OPEN = 1
  static readonly instances: FakeSocket[] = []
  readonly OPEN = 1
  readonly url: string
  readyState = 0
  readonly sent: string[] = []

  constructor(url: string) {
    super()
    this.url = url
    FakeSocket.instances.push(this)
  }

  open(): void {
    this.readyState = 1
    this.dispatchEvent(new Event('open'))
  }

  receive(data: string): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }))
  }

  send(data: string): void {
    this.sent.push(data)
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }))
  }
}
