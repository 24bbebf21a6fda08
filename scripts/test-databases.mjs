// `npm run test:databases`: the README's test command on SQLite, and the integration and HTTP
// projects again on every database server that is available (PostgreSQL from
// scripts/services.sh, MongoDB from MONGODB_TEST_URI), as separate jest runs going side by side
// (TEST_PARALLEL_RUNS at once, by default one per two cores). Ends with what ran where, and why
// anything was skipped. Under CI=true a missing PostgreSQL fails instead of being skipped.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { stripVTControlCharacters } from 'node:util'

import { ensureProductionBuild } from './lib/build.mjs'

const servicesEnv = path.join(process.env.GREENROOM_SERVICES_DIR || '/tmp/greenroom-services', 'env')
if (!process.env.TEST_POSTGRES_URI && fs.existsSync(servicesEnv)) {
  for (const line of fs.readFileSync(servicesEnv, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim())
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

/**
 * One jest run in its own process group, its output passed on line by line with the run's name in
 * front (runs go side by side, so their lines interleave).
 */
const npmTest = (label, args, env, outputFile) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['test', '--', ...args, '--json', `--outputFile=${outputFile}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      detached: true,
    })
    children.add(child)
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      readline.createInterface({ input: stream }).on('line', (line) => out.write(`[${label}] ${line}\n`))
    }
    let hung = false
    let reportSeenAt
    const watch = setInterval(() => {
      if (!reportSeenAt && fs.existsSync(outputFile)) reportSeenAt = Date.now()
      if (reportSeenAt && Date.now() - reportSeenAt > EXIT_GRACE_MS && !hung) {
        hung = true
        console.error(`\n[${label}] jest did not exit ${EXIT_GRACE_MS / 1000} s after writing its report: stopping it`)
        stopGroup(child, 'SIGTERM')
        setTimeout(() => stopGroup(child, 'SIGKILL'), 5_000).unref()
      }
    }, 2_000)
    child.on('exit', (status, signal) => {
      clearInterval(watch)
      children.delete(child)
      resolve({ status: status ?? signal, hung })
    })
  })

// npm and jest's workers form one process group: stopping the group stops the whole run.
const children = new Set()
const stopGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {}
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) stopGroup(child, signal)
    process.exit(130)
  })
}

/**
 * Jest's counts from its JSON report, with the failed tests named; none when jest died before writing
 * it. CI keeps only the tail of a run's output, so the names must reach the closing summary.
 */
const readReport = (file) => {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'))
    const failures = []
    for (const suite of report.testResults) {
      const testFile = path.relative(process.cwd(), suite.name)
      const failedTests = suite.assertionResults.filter((test) => test.status === 'failed')
      for (const test of failedTests) failures.push({ file: testFile, test: test.fullName, message: test.failureMessages.join('\n') })
      // A suite that failed outside any test (its setup threw, a hook timed out) has no failed test to name.
      if (suite.status === 'failed' && failedTests.length === 0) failures.push({ file: testFile, test: '(the file itself)', message: suite.message })
    }
    return {
      counts: { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests },
      failures,
    }
  } catch {
    return undefined
  }
}

const runs = []
const results = []
const plan = (database, what, args, env = {}, { alone = false } = {}) => runs.push({ database, what, args, env, alone })
const skip = (database, why) => results.push({ database, what: '-', outcome: `skipped: ${why}` })

const execute = async ({ database, what, args, env }, index) => {
  const label = `${database} ${what}`
  console.log(`\n==> ${label}: started\n`)
  const startedAt = Date.now()
  const outputFile = path.join(reportsDir, `${index}.json`)
  const { status, hung } = await npmTest(label, args, env, outputFile)
  const report = readReport(outputFile)
  const counts = report?.counts
  const outcome =
    status === 0 && counts
      ? 'passed'
      : `FAILED (${hung ? 'jest did not exit after its run' : `exit ${status}`}${counts ? '' : ', no jest report'})`
  const seconds = Math.round((Date.now() - startedAt) / 1000)
  console.log(`\n==> ${label}: ${outcome} in ${seconds} s\n`)
  results.push({ database, what, outcome, counts, seconds, failures: report?.failures ?? [] })
}

// Longest runs first, so the last one to start is a short one.
const serverProjects = ['integration', 'http']
const projects = (...names) => ['--selectProjects', ...names]
if (process.env.TEST_POSTGRES_URI) {
  plan('PostgreSQL', 'integration + http', projects(...serverProjects), { TEST_DATABASE: 'postgres' })
} else if (process.env.CI) {
  results.push({ database: 'PostgreSQL', what: '-', outcome: 'FAILED: TEST_POSTGRES_URI is not set (scripts/services.sh start)' })
} else {
  skip('PostgreSQL', 'TEST_POSTGRES_URI is not set; run `scripts/services.sh start` (needs Debian postgresql)')
}
// SQLite gets every project (what `npm test` runs), split in parts.
plan('SQLite', 'integration', projects('integration'))
if (process.env.MONGODB_TEST_URI) {
  plan('MongoDB', 'integration + http', projects(...serverProjects), { TEST_DATABASE: 'mongodb' })
} else {
  skip('MongoDB', 'MONGODB_TEST_URI is not set (no MongoDB server can be installed on this machine)')
}
plan('SQLite', 'unit + http + fuzz', projects('unit', 'http', 'fuzz'))
// The admin panel in Chromium waits on a browser's rendering: it runs once the others are done, with
// the machine to itself, rather than beside two other runs.
plan('SQLite', 'e2e (admin panel)', projects('e2e'), {}, { alone: true })

// The server projects check the production build in their global setup; made current once here, so
// runs side by side never build it twice at once.
await ensureProductionBuild(process.cwd(), (message) => console.log(message))

// A run keeps about two cores busy: jest with its test file, and the Next server and database server
// that file talks to. Two runs on a 2-core CI machine (tried 2026-12-03) stretched every run by half
// and failed 20 tests on timeouts (pool waits, 60 s tests, Chromium navigations), so runs go side by
// side only where there are two cores for each.
const parallel = Math.max(1, Number(process.env.TEST_PARALLEL_RUNS) || Math.floor(os.availableParallelism() / 2))
const queue = runs.map((run, index) => ({ run, index })).filter(({ run }) => !run.alone)
const startedAt = Date.now()
await Promise.all(
  Array.from({ length: Math.min(parallel, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await execute(next.run, next.index)
  }),
)
for (const [index, run] of runs.entries()) if (run.alone) await execute(run, index)

console.log('\n| database | ran | result | tests passed | failed | skipped | seconds |\n|---|---|---|---|---|---|---|')
for (const { database, what, outcome, counts, seconds } of results) {
  console.log(`| ${database} | ${what} | ${outcome} | ${counts?.passed ?? '-'} | ${counts?.failed ?? '-'} | ${counts?.skipped ?? '-'} | ${seconds ?? '-'} |`)
}
// The first lines of each failure's message (no colours): enough to know what broke without the full log.
const firstLines = (message) =>
  stripVTControlCharacters(message ?? '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(0, 12)
for (const { database, what, failures = [] } of results) {
  for (const { file, test, message } of failures) {
    console.log(`\nFAILED on ${database} (${what}): ${file} › ${test}`)
    for (const line of firstLines(message)) console.log(`    ${line}`)
  }
}
const total = (key) => results.reduce((sum, { counts }) => sum + (counts?.[key] ?? 0), 0)
fs.rmSync(reportsDir, { recursive: true, force: true })
// The plain closing line: every database's runs together.
console.log(`\ntests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped (${Math.round((Date.now() - startedAt) / 1000)} s)`)
process.exit(results.some((result) => result.outcome.startsWith('FAILED')) ? 1 : 0)
