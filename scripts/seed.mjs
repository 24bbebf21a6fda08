// `npm run seed`: adds the demo content to the database `npm start` uses (production mode,
// migrations applied, .env loaded); safe to run again.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
prepareLocalEnv(root)
const result = spawnSync(process.execPath, ['--import', './scripts/preload-lexical.mjs', '--import', 'tsx', 'scripts/seed.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
