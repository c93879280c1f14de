/** Flags for headless volunteer tabs (see shared/docs/webrtc-testing.md for why each is there). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
]

/**
 * The features Playwright turns off in every Chromium it launches: its `--disable-features` switch, as
 * playwright-core 1.65 writes it. Chromium keeps only the last `--disable-features` of its command line, so
 * turning off a feature of ours means replacing Playwright's switch with one that holds its list and ours.
 * `packages/cli/test/chromium-launch.browser.spec.ts` checks this list against what the installed Playwright
 * passes: a Playwright that changes it fails that test, rather than quietly lose its features or ours. An
 * installed Playwright of another list (the package allows later 1.x) keeps its switch, and ours, the last,
 * is the one Chromium reads: this list and ours.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
]

/**
 * Features volunteer tabs turn off beyond Playwright's: the omnibox popup, which headless Chromium renders
 * in a WebUI renderer of its own (`--top-chrome-webui`) that works at every new window, that is at every tab
 * Playwright opens. Ten blank tabs took 7.0 s of processor with it and 5.1 s without; in the bench's `spread`
 * scenario it took 1–2.5 s of processor from the tabs computing beside a tab being opened. Headless tabs
 * have no omnibox to show.
 */
export const PANDO_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']

const disableFeatures = (features: readonly string[]): string => `--disable-features=${features.join(',')}`

/**
 * How pando launches Chromium for volunteer tabs, and the tests and the bench for theirs: the switches of
 * `chromium.launch`, and Playwright's own that they replace.
 */
export function chromiumLaunchOptions(): { args: string[]; ignoreDefaultArgs: string[] } {
  return {
    args: [...CHROMIUM_FLAGS, disableFeatures([...PLAYWRIGHT_DISABLED_FEATURES, ...PANDO_DISABLED_FEATURES])],
    ignoreDefaultArgs: [disableFeatures(PLAYWRIGHT_DISABLED_FEATURES)],
  }
}
