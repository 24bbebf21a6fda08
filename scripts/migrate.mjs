// `npm run migrate`: applies the committed migrations to the database `npm start` uses (production
// mode, .env loaded) and lists them; safe to run again.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const migrate = await bundleEntry('scripts/migrate.ts', path.join(SCRATCH_DIR, 'migrate.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, migrate], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
