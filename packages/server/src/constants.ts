/**
 * Join attempts one address may open in a burst, in attempts: the size of its token bucket (see
 * {@link JOIN_ATTEMPTS_PER_MINUTE}). A page opens one attempt at a time, and again only after a back-off
 * (1 s, doubling to 30 s); so this lets a few hundred tabs behind one address (a classroom behind one NAT,
 * or the browser tests' 100 tabs on 127.0.0.1) all join at once, while a script opening attempts in a loop
 * is cut off after this many. Each attempt that sends a first signal makes the root create a WebRTC peer
 * connection, which is what this protects. Only admitted attempts spend from it; IPv6 addresses count by
 * their /64.
 * @default 300 attempts
 */
export const JOIN_ATTEMPT_BURST = 300

/**
 * The rate at which an address earns join attempts back after a burst, in attempts per minute: sustained,
 * one address opens at most this many (10 a second), however long it goes on. Ample for tabs rejoining
 * after others left, even in the chaos tests (tabs killed every second, their subtrees rejoining).
 * @default 600 attempts per minute
 */
export const JOIN_ATTEMPTS_PER_MINUTE = 600

/**
 * Join attempts one address may hold open at once, in attempts: each holds a WebSocket (and, once it has
 * signalled, a candidate slot in the tree) until it connects, is rejected or times out. More are rejected.
 * @default 200 attempts
 */
export const MAX_OPEN_JOINS_PER_ADDRESS = 200

/** `Retry-After` of `/run/` while there is no run, in seconds. */
export const NO_RUN_RETRY_AFTER_S = 2

/** `Cache-Control` of a page's scripts whose names carry their content hash: a year, never revalidated. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/** Time between two WebSocket pings, in ms: the product's heartbeat (`--heartbeat`). */
export { DEFAULT_HEARTBEAT_MS } from '@pando/protocol'

/** Largest WebSocket message accepted from a dashboard viewer (viewers send nothing). */
export const MAX_VIEWER_PAYLOAD_BYTES = 1024

/**
 * A viewer with more than this many bytes not yet sent is skipped by a broadcast: statuses are snapshots,
 * so a slow viewer gets the next one instead of a growing backlog.
 */
export const MAX_VIEWER_BACKLOG_BYTES = 8 * 1024 * 1024

/**
 * How long a root that gave a wrong secret waits for its refusal, in ms: with {@link MAX_PENDING_ROOTS},
 * it bounds how fast anyone can guess.
 */
export const WRONG_SECRET_DELAY_MS = 1_000

/** Wrong secrets one address may give within {@link WRONG_SECRET_WINDOW_MS}; then it is refused at once. */
export const MAX_WRONG_SECRETS = 5

/** The window over which wrong secrets are counted per address, in ms. */
export const WRONG_SECRET_WINDOW_MS = 60_000

/**
 * Root links whose secret is being checked (their `hello` read, a wrong secret's refusal delayed), at most, at
 * once; a `hello` past them is refused ("try again later"). Links that have not said hello do not count.
 */
export const MAX_PENDING_ROOTS = 4

/**
 * A root link must send its `hello` within this, in ms: a root sends it as soon as it connects, so a link
 * silent this long is not one.
 */
export const HELLO_TIMEOUT_MS = 2_000

/**
 * Bytes waiting to go to the root past which a tunnelled volunteer's message is refused (and the
 * volunteer closed, to come back later) rather than queued without bound.
 */
export const MAX_ROOT_BACKLOG_BYTES = 64 * 1024 * 1024

/** How long a peer being closed gets to finish the closing handshake, in ms (one value for both ends). */
export { CLOSE_GRACE_MS } from '@pando/protocol'

/**
 * How long the TURN credentials made from a shared secret (`--turn-secret`, coturn's `use-auth-secret`) stay
 * valid, in seconds: a page fetches its run config once and keeps using the credentials for every join and
 * rejoin of the run, so they outlast a long run; a leaked one still expires.
 * @default 86_400 s (one day)
 */
export const TURN_CREDENTIAL_TTL_S = 86_400

/**
 * How long a join attempt's WebSocket on `/join` stays open, in ms, when the server is not told (`pando`
 * passes its `--bootstrap-timeout`; `pando-server` relays for roots whose own timeouts close attempts
 * sooner): long enough for any root's join, short enough that an abandoned attempt frees its place.
 * @default 60_000 ms
 */
export const JOIN_ATTEMPT_TIMEOUT_MS = 60_000

/**
 * How often the join limits forget the addresses that have nothing open and a full bucket, in ms: their
 * memory stays bounded by the addresses active within about this long.
 * @default 60_000 ms
 */
export const JOIN_LIMITS_SWEEP_MS = 60_000

/**
 * Addresses with wrong secrets remembered before the expired ones are swept, in addresses: bounds the
 * memory a guesser spreading over many addresses can take.
 * @default 10_000 addresses
 */
export const MAX_TRACKED_ADDRESSES = 10_000

/** Bytes of randomness in an access token: 192 bits, 32 URL-safe characters. */
export const TOKEN_BYTES = 24

/**
 * Pings sent and not yet answered, per client: a pong counts as a sign of life only when it echoes one of
 * them. More than this many are not kept (the client is terminated long before, at its first miss).
 */
export const MAX_OUTSTANDING_PINGS = 8

/**
 * How late, in intervals beyond its schedule, a watchdog's tick must come for the watchdog to take it that
 * its own process stalled (a synchronous module, a huge frame to parse, a swapping machine): one whole
 * interval. Timers are late by milliseconds under load; a tick one interval late means the loop did not run.
 */
export const STALL_INTERVALS = 1

/** Bytes of a client's control frame besides its payload: 2 of header, 4 of mask (RFC 6455 §5.2). */
export const CLIENT_CONTROL_FRAME_OVERHEAD = 6
