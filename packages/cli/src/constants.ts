/**
 * Exit status of a run whose every item was processed, or whose reader closed stdout or stderr early
 * (`pando … | head -3`, `pando … 2>&1 | head -1`).
 */
export const EXIT_OK = 0
/**
 * Exit status when processing failed: the user's function failed on an item more times than `--retries`
 * allows, or the module threw outside its function, or an internal error.
 */
export const EXIT_FAILED = 1
/** Exit status for a usage error: a bad option, a missing or unusable module, a malformed config file. */
export const EXIT_USAGE = 2
/** Exit status after SIGINT (Ctrl-C): 128 + the signal number, as shells report it. */
export const EXIT_INTERRUPTED = 130
/** Exit status after SIGHUP (the terminal closed): 128 + 1. */
export const EXIT_HANGUP = 129
/** Exit status after SIGTERM: 128 + 15. */
export const EXIT_TERMINATED = 143

/** Every message for people starts with this, on stderr. */
export const MESSAGE_PREFIX = 'pando: '

/** The most characters of an item quoted in an error message, so a huge line does not flood the terminal. */
export const ITEM_PREVIEW_LENGTH = 60

/** The configuration file, relative to `$XDG_CONFIG_HOME` (`~/.config`). Its keys are the long option names. */
export const XDG_CONFIG_FILE = 'pando/config.json'

/** The original's configuration file, relative to the home directory, read when the XDG one does not exist. */
export const LEGACY_CONFIG_FILE = '.pando/config.json'

/** Where modules' bundles are kept between runs, under the XDG cache directory (`~/.cache`). */
export const BUNDLE_CACHE_DIR = 'pando/bundles'

/** Where the configuration is read from, for people (the help, messages). */
export const CONFIG_FILES_TEXT = `~/.config/${XDG_CONFIG_FILE}, else ~/${LEGACY_CONFIG_FILE}`

/** The name a processing module requires to reach the runtime API (`report()`), as in the original Pando. */
export const RUNTIME_MODULE = 'pando-computing'

/** The internal package that holds that API; `RUNTIME_MODULE` requests resolve to it (`runtime-request.ts`). */
export const RUNTIME_PACKAGE = '@pando/runtime'

/**
 * Reporting intervals the root waits for a status to name a volunteer that joined the WebRTC tree, before it
 * announces (and counts) it without its name: a tab sends its status as soon as it has a parent, and the
 * tabs above pass it on at once, so only one whose statuses are lost (or that sends none) waits this long.
 * At least `NAMING_GRACE_MIN_MS`: under load a tab's first status can take seconds.
 */
export const NAMING_GRACE_REPORTS = 2

/** The shortest wait for a status naming a tree volunteer, in ms (see `NAMING_GRACE_REPORTS`). */
export const NAMING_GRACE_MIN_MS = 10_000

/** The most characters of a name a peer chose (a volunteer's device name) shown in a message. */
export const PEER_NAME_CHARS = 200

/** The most characters of a text a peer sent (an error message, a close reason) shown in a message. */
export const PEER_TEXT_CHARS = 1_000

/**
 * The longest a shutdown waits for the releases, and for stdout and stderr to take what they were given,
 * before exiting anyway (a reader that takes nothing for that long may then get a cut line); `pando-server`
 * waits as long for its server to close.
 */
export const SHUTDOWN_GRACE_MS = 2_000

/** The environment variable that holds a `pando-server`'s secret, for `pando --host` and `pando-server`. */
export const SECRET_VARIABLE = 'PANDO_SECRET'

/** The shortest secret `pando --host` and `pando-server` take, in characters: 16 hex digits are 64 bits. */
export const MIN_SECRET_LENGTH = 16

/** The loopback interface: where a run listens when only its own tabs (`--volunteers`) compute. */
export const LOOPBACK_ADDRESS = '127.0.0.1'

/**
 * Characters of lines gathered into one write. A write to a pipe is a system call; one per line cost a
 * quarter of the root's time at 100,000 lines/s.
 */
export const WRITE_CHUNK_CHARS = 64 * 1024
