/** The longest the opening handshake with the server may take, in ms. */
export const CONNECT_TIMEOUT_MS = 10_000

/** The longest registration may take once connected (the files go up then), in ms. */
export const REGISTER_TIMEOUT_MS = 60_000

/** Random bytes in a mark: 144 bits, 24 characters of base64url; never guessed. */
export const MARK_BYTES = 18
