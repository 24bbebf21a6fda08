// CI guard: files Payload generates must match the config they are generated from. Regenerates the
// types, the admin import map, the GraphQL SDL and the typed client's copy of the types, asks for a
// migration of any schema change, and fails when any of that differs from what is committed, saying
// which command to run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const GENERATED = [
  'src/payload-types.ts',
  'src/app/(payload)/admin/importMap.js',
  'schema.graphql',
  'client/src/generated/payload-types.ts',
]
// migrate:create diffs the config against the newest snapshot in each folder; it never connects,
// so the PostgreSQL URI only has to select the adapter.
const MIGRATION_SETS = [
  { dir: 'src/migrations/sqlite', databaseUri: (scratch) => `file:${path.join(scratch, 'check.db')}` },
  { dir: 'src/migrations/postgres', databaseUri: () => 'postgres://check:check@127.0.0.1:9/check' },
]

const run = (args, env = {}, script = 'scripts/payload.mjs') => {
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', ...env },
  })
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr)
    throw new Error(`${args.join(' ')} failed`)
  }
}

const problems = []
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-generated-'))
const scratchEnv = { DATABASE_URI: MIGRATION_SETS[0].databaseUri(scratch), PAYLOAD_SECRET: 'check-generated' }

run(['generate:types'], scratchEnv)
run([], {}, 'client/scripts/copy-types.mjs')
run(['generate:importmap'], scratchEnv)
run(['generate:schema'], scratchEnv, 'scripts/payload-graphql.mjs')
const git = (...args) => spawnSync('git', args, { encoding: 'utf8' }).stdout.trim()
// Working tree against the index: what regeneration changed, whatever was staged before.
const diff = [git('diff', '--name-only', '--', ...GENERATED), git('ls-files', '--others', '--exclude-standard', '--', ...GENERATED)]
  .filter(Boolean)
  .join('\n')
if (diff) {
  problems.push(
    `Generated files are out of date:\n${diff}\n  Run \`npm run generate:types && npm run generate:importmap && npm run generate:graphql-schema\` and commit the result.`,
  )
}

for (const { dir, databaseUri } of MIGRATION_SETS) {
  const before = new Set(fs.readdirSync(dir))
  run(['migrate:create', 'schema_drift', '--skip-empty'], { ...scratchEnv, DATABASE_URI: databaseUri(scratch) })
  const added = fs.readdirSync(dir).filter((file) => !before.has(file))
  if (added.length) {
    for (const file of added) fs.rmSync(path.join(dir, file))
    spawnSync('git', ['checkout', '--', path.join(dir, 'index.ts')])
    problems.push(
      `The schema changed without a migration in ${dir} (payload migrate:create found changes).\n` +
        `  Run \`npm run migrate:create -- <name>\` with DATABASE_URI set for that database, and commit the new files.`,
    )
  }
}
fs.rmSync(scratch, { recursive: true, force: true })

if (problems.length) {
  console.error(`\n${problems.join('\n\n')}\n`)
  process.exit(1)
}
console.log('Generated files (types, import map, GraphQL SDL, SQLite and PostgreSQL migrations) are up to date.')
