import { once } from 'node:events'
import { WebSocket } from 'ws'

/** A message from the root to a volunteer, as a test reads it. */
export interface VolunteerReceived {
  readonly type: string
  readonly jobs?: { id: number; value: string }[]
  readonly reason?: string
}

/** A volunteer played by the test over the real WebSocket protocol (`/volunteer`), without a browser. */
export class FakeVolunteer {
  readonly socket: WebSocket
  readonly received: VolunteerReceived[] = []
  /** How its socket closed, once it has: the code and the reason. */
  readonly closing: Promise<{ readonly code: number; readonly reason: string }>

  constructor(port: string | number, options: { autoPong?: boolean } = {}) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/volunteer`, { autoPong: options.autoPong ?? true })
    this.closing = once(this.socket, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }))
    // A socket the root cuts may fail before it closes; 'close' follows, which is what tests look at.
    this.socket.on('error', () => undefined)
    this.socket.on('message', (data) => this.received.push(JSON.parse(String(data)) as VolunteerReceived))
  }

  /** Waits for the socket to open, then says hello. */
  async join(protocolVersion = 1, deviceName = 'fake'): Promise<void> {
    await once(this.socket, 'open')
    this.socket.send(JSON.stringify({ type: 'hello', protocolVersion, deviceName }))
  }

  /** Jobs received so far. */
  jobs(): { id: number; value: string }[] {
    return this.received.flatMap((message) => message.jobs ?? [])
  }

  jobsReceived(): number {
    return this.jobs().length
  }

  /** Resolves with the close code once the socket has closed. */
  async closed(): Promise<number> {
    return (await this.closing).code
  }
}
