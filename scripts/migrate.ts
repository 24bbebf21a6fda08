// `npm run migrate`: applies the committed migrations to the database DATABASE_URI names and says
// which ones ran, so a deployment can migrate once before it starts (or restarts) its servers.
// Payload's own `migrate` command cannot load the TypeScript migration files on plain Node.
import config from '@payload-config'
import { getPayload } from 'payload'

import { closePayload } from '../src/db/closePayload'
import { migrations as postgresMigrations } from '../src/migrations/postgres'
import { migrations as sqliteMigrations } from '../src/migrations/sqlite'

const committed: Record<string, { name: string }[]> = { sqlite: sqliteMigrations, postgres: postgresMigrations }

const appliedNames = async (payload: Awaited<ReturnType<typeof getPayload>>) =>
  new Set(
    (await payload.find({ collection: 'payload-migrations', limit: 0, pagination: false, overrideAccess: true })).docs.map(
      (doc) => doc.name,
    ),
  )

// Production mode applies the committed migrations while Payload connects (prodMigrations).
const payload = await getPayload({ config })
try {
  const migrations = committed[payload.db.name]
  if (!migrations) {
    console.log(`${payload.db.name} needs no migrations.`)
  } else {
    const applied = await appliedNames(payload)
    for (const { name } of migrations) console.log(`${applied.has(name) ? 'applied' : 'PENDING'}  ${name}`)
    const pending = migrations.filter(({ name }) => !applied.has(name))
    if (pending.length > 0) {
      console.error(`${pending.length} migration(s) did not apply.`)
      process.exitCode = 1
    } else {
      console.log(`The ${payload.db.name} database is up to date (${migrations.length} migrations).`)
    }
  }
} finally {
  await closePayload(payload)
}
