// `npm run test:databases`: the README's test command on SQLite, then the integration and HTTP
// projects again on every database server that is available (PostgreSQL from
// scripts/services.sh, MongoDB from MONGODB_TEST_URI). Ends with what ran where, and why
// anything was skipped. Under CI=true a missing PostgreSQL fails instead of being skipped.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const servicesEnv = path.join(process.env.GREENROOM_SERVICES_DIR || '/tmp/greenroom-services', 'env')
if (!process.env.TEST_POSTGRES_URI && fs.existsSync(servicesEnv)) {
  for (const line of fs.readFileSync(servicesEnv, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim())
    if (match) process.env[match[1]] = match[2]
  }
}

// Each run also writes jest's JSON results, so the last line can add up the tests of every run.
const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-test-results-'))

/**
 * Once jest has written its report the run is over; a jest still alive a minute later is held by a
 * handle a test left open (a database pool, a server). It is stopped and the run counts as failed,
 * so CI says so instead of waiting out its time limit.
 */
const EXIT_GRACE_MS = 60_000

const npmTest = (args, env, outputFile) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['test', '--', ...args, '--json', `--outputFile=${outputFile}`], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
      detached: true,
    })
    // Its own process group (so a hung run can be stopped whole): an interrupt here goes on to it.
    const forward = (signal) => () => {
      try {
        process.kill(-child.pid, signal)
      } catch {}
      process.exit(130)
    }
    const onInterrupt = forward('SIGINT')
    const onTerminate = forward('SIGTERM')
    process.once('SIGINT', onInterrupt)
    process.once('SIGTERM', onTerminate)
    let hung = false
    let reportSeenAt
    const watch = setInterval(() => {
      if (!reportSeenAt && fs.existsSync(outputFile)) reportSeenAt = Date.now()
      if (reportSeenAt && Date.now() - reportSeenAt > EXIT_GRACE_MS && !hung) {
        hung = true
        console.error(`\njest did not exit ${EXIT_GRACE_MS / 1000} s after writing its report: stopping it`)
        // npm and jest's workers form one process group.
        try {
          process.kill(-child.pid, 'SIGTERM')
          setTimeout(() => {
            try {
              process.kill(-child.pid, 'SIGKILL')
            } catch {}
          }, 5_000).unref()
        } catch {}
      }
    }, 2_000)
    child.on('exit', (status, signal) => {
      clearInterval(watch)
      process.off('SIGINT', onInterrupt)
      process.off('SIGTERM', onTerminate)
      resolve({ status: status ?? signal, hung })
    })
  })

/** Jest's counts from its JSON report; none when jest died before writing it. */
const readCounts = (file) => {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'))
    return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests }
  } catch {
    return undefined
  }
}

const results = []
const run = async (database, what, args, env = {}) => {
  console.log(`\n==> ${database}: ${what}\n`)
  const outputFile = path.join(reportsDir, `${results.length}.json`)
  const { status, hung } = await npmTest(args, env, outputFile)
  const counts = readCounts(outputFile)
  const outcome =
    status === 0 && counts
      ? 'passed'
      : `FAILED (${hung ? 'jest did not exit after its run' : `exit ${status}`}${counts ? '' : ', no jest report'})`
  results.push({ database, what, outcome, counts })
}
const skip = (database, why) => results.push({ database, what: '-', outcome: `skipped: ${why}` })

await run('SQLite', 'all projects (npm test)', [])

const serverProjects = ['--selectProjects', 'integration', 'http']
if (process.env.TEST_POSTGRES_URI) {
  await run('PostgreSQL', 'integration + http', serverProjects, { TEST_DATABASE: 'postgres' })
} else if (process.env.CI) {
  results.push({ database: 'PostgreSQL', what: '-', outcome: 'FAILED: TEST_POSTGRES_URI is not set (scripts/services.sh start)' })
} else {
  skip('PostgreSQL', 'TEST_POSTGRES_URI is not set; run `scripts/services.sh start` (needs Debian postgresql)')
}

if (process.env.MONGODB_TEST_URI) {
  await run('MongoDB', 'integration + http', serverProjects, { TEST_DATABASE: 'mongodb' })
} else {
  skip('MongoDB', 'MONGODB_TEST_URI is not set (no MongoDB server can be installed on this machine)')
}

console.log('\n| database | ran | result | tests passed | failed | skipped |\n|---|---|---|---|---|---|')
for (const { database, what, outcome, counts } of results) {
  console.log(`| ${database} | ${what} | ${outcome} | ${counts?.passed ?? '-'} | ${counts?.failed ?? '-'} | ${counts?.skipped ?? '-'} |`)
}
const total = (key) => results.reduce((sum, { counts }) => sum + (counts?.[key] ?? 0), 0)
fs.rmSync(reportsDir, { recursive: true, force: true })
// The plain closing line: every database's runs together.
console.log(`\ntests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`)
process.exit(results.some((result) => result.outcome.startsWith('FAILED')) ? 1 : 0)
