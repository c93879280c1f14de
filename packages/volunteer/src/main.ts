// The volunteer page: joins the root's WebRTC tree (or its WebSocket, as the URL hash asks or as a fallback),
// runs the lent jobs in a Worker, lends to its children in the tree, and shows what it does.
import { JOIN_PATH, VOLUNTEER_PATH, withPageToken } from '@pando/protocol'
import { StatusView } from './status-view.ts'
import { transportFromHash } from './transport-choice.ts'
import { startTreeVolunteer } from './tree-page.ts'
import { VolunteerPage } from './volunteer-page.ts'
import { startWebSocketVolunteer } from './websocket-volunteer.ts'

/** `path` on the page's host, as a ws: or wss: URL with the page's token. */
function webSocketUrl(path: string): string {
  const url = new URL(withPageToken(path, location.href))
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}

const page = new VolunteerPage(new StatusView(document))
const choice = transportFromHash(location.hash)
const useWebSocket = (): void => startWebSocketVolunteer(page, webSocketUrl(VOLUNTEER_PATH))

if (choice === 'websocket') {
  useWebSocket()
} else {
  void startTreeVolunteer(page, {
    joinUrl: webSocketUrl(JOIN_PATH),
    ...(choice === 'auto'
      ? {
          fallBack: (reason: string) => {
            page.view.setTransportNote(`The WebSocket is used: ${reason}.`)
            useWebSocket()
          },
        }
      : {}),
  })
}
