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

/**
 * Bytes of output the journaled output takes in while a write waits for the journal's records: many chunks
 * of `writeLines` (64 Ki characters each). With room for one chunk only (64 KiB), each write parked the line
 * writer until the journal's records were written off the main thread, and the items stopped flowing
 * meanwhile: the main thread spent some 14 % more CPU per trivial item than without a journal; with this
 * room the chunks that come while one waits go out together after one wait (6 % more, see the README's
 * Performance). What it holds is bytes, off the JavaScript heap.
 */
export const JOURNALED_OUTPUT_BUFFER_BYTES = 1024 * 1024

/** The most recalled outcomes held, waiting for the computed items before them, before reading pauses. */
export const RECALLED_WINDOW = 32_768

/**
 * The most time, in ms, between a record and its `fsync`: a crash of the machine loses at most the records
 * of this last fraction of a second (a crash of the process alone loses only what {@link JournalWriter.flush}
 * had not yet handed to the system).
 */
export const JOURNAL_SYNC_INTERVAL_MS = 200

/**
 * The items' buffer: the record of some 5,000 trivial items, more than gather between two writes to stdout
 * of `--local` at full speed. With 64 KiB, one record in six outgrew it and spare buffers often ran out:
 * each growth or fresh buffer was new memory to fault in (about 200 for 500,000 items; now 2 or so). It
 * grows for larger items.
 */
export const ITEMS_BUFFER_BYTES = 256 * 1024

/** Item buffers kept for the next records: those of the records being written, and a few more. */
export const SPARE_ITEM_BUFFERS = 8

/**
 * The rate "now" is measured over this many intervals (or since the start): over one alone, the last status
 * (made as soon as the run ends, a fraction of an interval after the one before) would make it spike.
 */
export const RATE_INTERVALS = 2

/** Names listed in one leave notice at most; the rest are counted (`and 3 others`). */
export const MAX_NAMES_IN_NOTICE = 5

/** Outcomes are sent at least this often (ms) while jobs remain, so the root's batch sizing sees progress. */
export const REPORT_EVERY_MS = 20

/** The width the help is laid out for, whatever the terminal: wider would be hard to read, and tests see it. */
export const HELP_WIDTH = 80

/** How far a description is indented under its option's flags. */
export const DESCRIPTION_INDENT = 6

/** The most volunteers `--replicas` may ask for. */
export const MOST_REPLICAS = 32

/**
 * Longest run of items, in ms, before the event loop gets a turn (SIGINT, stdout drain, stdin), even for a
 * synchronous function. A turn per item cost more than a trivial function itself.
 */
export const LOCAL_YIELD_INTERVAL_MS = 5

/** The largest `--seed`: seeds are 32-bit unsigned integers. */
export const MAX_SEED = 0xffff_ffff
