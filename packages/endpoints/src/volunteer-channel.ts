import { DeliveredChannel, toWire, type RootToVolunteer, type VolunteerToRoot } from '@pando/protocol'
import type { VolunteerSocket } from './volunteer-socket.ts'

/**
 * A volunteer's socket (a `ws` one, or one tunnelled through a `pando-server`) as a {@link DeliveredChannel},
 * so that the root watches it with the protocol's `Link`, as a tree link: one heartbeat, one round-trip
 * measure. Its messages are those the root's volunteer service parsed and hands over, so that the parsing
 * keeps its bounds and its close codes. The root's heartbeats go only to a page whose own carry `sentAt`
 * (an older page would not know them); its other messages always go.
 */
export class VolunteerChannel extends DeliveredChannel<RootToVolunteer> {
  /** Whether the page's heartbeats measure the round trip, so that it takes the root's. */
  #pageMeasures = false

  constructor(socket: VolunteerSocket) {
    super({
      send: (message) => {
        if (message.type === 'heartbeat' && !this.#pageMeasures) return
        socket.send(JSON.stringify(toWire(message)))
      },
      close: (code, reason) => socket.close(code, reason),
    })
    socket.onClose(() => this.ended())
  }

  /** A message of the volunteer's, parsed: handed to the listeners (the root's `Link`). */
  override deliver(message: VolunteerToRoot): void {
    if (message.type === 'heartbeat' && message.sentAt !== undefined) this.#pageMeasures = true
    super.deliver(message)
  }
}
