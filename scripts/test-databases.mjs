// `npm run test:databases`: the README's test command on SQLite, then the integration and HTTP
// projects again on every database server that is available (PostgreSQL from
// scripts/services.sh, MongoDB from MONGODB_TEST_URI). Ends with what ran where, and why
// anything was skipped. Under CI=true a missing PostgreSQL fails instead of being skipped.
import { spawnSync } from 'node:child_process'
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

const npmTest = (args, env, outputFile) =>
  spawnSync('npm', ['test', '--', ...args, '--json', `--outputFile=${outputFile}`], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status

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
const run = (database, what, args, env = {}) => {
  console.log(`\n==> ${database}: ${what}\n`)
  const outputFile = path.join(reportsDir, `${results.length}.json`)
  const status = npmTest(args, env, outputFile)
  const counts = readCounts(outputFile)
  const outcome = status === 0 && counts ? 'passed' : `FAILED (exit ${status}${counts ? '' : ', no jest report'})`
  results.push({ database, what, outcome, counts })
}
const skip = (database, why) => results.push({ database, what: '-', outcome: `skipped: ${why}` })

run('SQLite', 'all projects (npm test)', [])

const serverProjects = ['--selectProjects', 'integration', 'http']
if (process.env.TEST_POSTGRES_URI) {
  run('PostgreSQL', 'integration + http', serverProjects, { TEST_DATABASE: 'postgres' })
} else if (process.env.CI) {
  results.push({ database: 'PostgreSQL', what: '-', outcome: 'FAILED: TEST_POSTGRES_URI is not set (scripts/services.sh start)' })
} else {
  skip('PostgreSQL', 'TEST_POSTGRES_URI is not set; run `scripts/services.sh start` (needs Debian postgresql)')
}

if (process.env.MONGODB_TEST_URI) {
  run('MongoDB', 'integration + http', serverProjects, { TEST_DATABASE: 'mongodb' })
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
