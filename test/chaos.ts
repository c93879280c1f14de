// `npm run chaos`: the long chaos test, round after round, with its figures. Each round is a 5,000-item run
// with 10 WebRTC tabs at degree 3, a random tab killed and replaced every second.
//   npm run chaos -- --rounds 10
import { chaosRun } from './support/chaos.ts'
import { launchVolunteerBrowser } from '../harness/volunteer-browser.ts'

const roundsFlag = process.argv.indexOf('--rounds')
const rounds = roundsFlag >= 0 ? Number(process.argv[roundsFlag + 1]) : 5
const browser = await launchVolunteerBrowser()
let failures = 0
console.log('round  exact  seconds  killed  interior')
try {
  for (let round = 1; round <= rounds; round++) {
    const result = await chaosRun({ items: 5000, tabs: 10, degree: 3, killEveryMs: 1000, browser })
    if (!result.exact) failures++
    console.log(
      `${String(round).padStart(5)}  ${result.exact ? 'yes' : 'NO '}    ${(result.durationMs / 1000).toFixed(1).padStart(7)}  ${String(result.killed).padStart(6)}  ${String(result.interiorKilled).padStart(8)}`,
    )
    if (!result.exact) console.log(result.stderr)
  }
} finally {
  await browser.close()
}
console.log(`${rounds - failures} of ${rounds} rounds exact`)
process.exitCode = failures === 0 ? 0 : 1
