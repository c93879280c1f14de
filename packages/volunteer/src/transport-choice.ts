import { hashEntries } from './url-hash.ts'

/**
 * How the page reaches the root, as the URL hash asks (the original's `#protocol=…`):
 * - `auto` (no `protocol` entry): join the WebRTC tree, fall back to the WebSocket if that fails;
 * - `webrtc` (`protocol=webrtc`): join the tree, never fall back;
 * - `websocket` (`protocol=websocket`, or `protocol=ws`): the WebSocket only.
 */
export type TransportChoice = 'auto' | 'webrtc' | 'websocket'

/** The transport the hash asks for; an unknown `protocol` value counts as none. */
export function transportFromHash(hash: string): TransportChoice {
  const entry = hashEntries(hash).find(([key]) => key === 'protocol')
  switch (entry?.[1].toLowerCase() ?? '') {
    case 'webrtc':
      return 'webrtc'
    case 'websocket':
    case 'ws':
      return 'websocket'
    default:
      return 'auto'
  }
}
