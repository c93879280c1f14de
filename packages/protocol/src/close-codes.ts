/**
 * The WebSocket close codes of every pando endpoint (`/volunteer`, `/join`, `/monitor/feed`, `/root` and the
 * volunteers tunnelled through it), what each means, and the one way to fit a close reason in a frame.
 * RFC 6455 and its IANA registry define the 1000s; 4000–4999 are pando's own.
 */

/** "Normal closure": the closer is done (a page leaving, a join attempt over, a run over). */
export const CLOSE_NORMAL = 1000

/** "Going away": the server is shutting down. A page reconnects after its back-off. */
export const CLOSE_GOING_AWAY = 1001

/** "Protocol error": a frame that breaks WebSocket's own framing (ws closes with it by itself). */
export const CLOSE_BAD_FRAME = 1002

/**
 * "Abnormal closure": never sent, only reported, by the side whose connection was cut without a close frame
 * (the peer vanished, or was terminated).
 */
export const CLOSE_CUT = 1006

/** "Invalid payload data": a text frame that is not UTF-8 (ws closes with it by itself). */
export const CLOSE_INVALID_PAYLOAD = 1007

/**
 * "Policy violation", for a message that breaks pando's protocol: not JSON, failing validation, out of turn,
 * binary, a hello that never came; or a wrong secret. The peer is told why in the close reason.
 */
export const CLOSE_PROTOCOL_ERROR = 1008

/** "Message too big": a message over its endpoint's limit (or a first message over the hello's). */
export const CLOSE_MESSAGE_TOO_BIG = 1009

/**
 * "Internal error": the server cannot go on with this peer (a `pando-server` that cannot store a run's files),
 * or the root failed on the peer's message, or the `/join` relay on a joiner's signal (a bug on that side,
 * reported on its stderr, not the peer's fault).
 */
export const CLOSE_INTERNAL_ERROR = 1011

/** "Service restart": the root left a `pando-server`; its volunteers come back to the next one. */
export const CLOSE_ROOT_LEFT = 1012

/** "Try again later": a limit is full for now; a page reconnects by itself after its back-off. */
export const CLOSE_TRY_AGAIN_LATER = 1013

/**
 * Application code for a connection dropped so that the page opens a new one: the root's close of a page
 * silent for too long (a frozen tab), or the page's own close after a message it could not take.
 */
export const CLOSE_RECONNECT = 4000

/**
 * Application code for a volunteer the root dropped because it failed far more items than the others (items
 * it failed succeeded elsewhere): the reason says how many.
 */
export const CLOSE_DISCREDITED = 4001

/**
 * Application code for a volunteer the run excluded for its results (outvoted, or caught by a spot check), or
 * a page refused because its browser mark belongs to such a volunteer (9b): the reason says why. Its page says
 * it is excluded and computes nothing more; it comes back quietly, refused while its browser is excluded, so
 * that it joins a new run at the same address.
 */
export const CLOSE_EXCLUDED = 4003

/**
 * Application code for the end of a run: the root closes each WebSocket volunteer with it (and the reason
 * {@link RUN_FINISHED_REASON}) once the run is over, whether its root serves the page or a `pando-server`
 * relays it. A page closed with it says the run is finished, and comes back quietly in case another run
 * starts at the same address. (Tabs in the WebRTC tree learn it from a `finished` message on their parent's
 * link instead.)
 */
export const CLOSE_RUN_FINISHED = 4002

/** The reason sent with {@link CLOSE_RUN_FINISHED}. */
export const RUN_FINISHED_REASON = 'run finished'

/**
 * What a `pando-server` with no root registered tells a tab, with 1013 on `/volunteer` and in its `/join`
 * rejections: a page that reads it is waiting for a run, not failing.
 */
export const NO_RUN_REASON = 'no run yet: waiting for a root to register'

/**
 * What a `pando-server` answers (503) for `run/config.json` once its last root ended its run normally (it
 * closed its link with `CLOSE_NORMAL`) and no other has registered since: a page that was in that run and
 * missed the root's own word (7b) knows from it that the run finished, not that its root is unreachable.
 */
export const RUN_ENDED_REASON = 'no run now: the last run finished; waiting for the next root'

/** The most a close frame's reason may take, in bytes of UTF-8 (125 less the code's 2); ws throws on more. */
export const MAX_CLOSE_REASON_BYTES = 123 // eslint-disable-line no-restricted-syntax -- RFC 6455's, not a tunable

/**
 * The bytes `text` takes in UTF-8, as `TextEncoder` (and Node's `Buffer`) encode it: a lone surrogate becomes
 * U+FFFD's three. Counted by hand: the protocol runs in pages and in Node, and is built with neither's types.
 */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code < 0xe000
}

/**
 * `reason`, cut (by UTF-16 code units from its end) to the {@link MAX_CLOSE_REASON_BYTES} of UTF-8 a close
 * frame can carry (ws throws on more): a reason may quote what a peer sent (a message type of 40 three-byte
 * characters is 120 bytes by itself).
 */
export function fitCloseReason(reason: string): string {
  let fitted = reason.slice(0, MAX_CLOSE_REASON_BYTES)
  while (utf8Length(fitted) > MAX_CLOSE_REASON_BYTES) fitted = fitted.slice(0, -1)
  return fitted
}
