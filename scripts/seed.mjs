// `npm run seed`: adds the demo content to the database `npm start` uses (production mode,
// migrations applied, .env loaded); safe to run again.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const seed = await bundleEntry('scripts/seed.ts', path.join(SCRATCH_DIR, 'seed.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, seed], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
