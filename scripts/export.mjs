// `npm run export -- --out DIR`: writes a backup of the database `npm start` uses (and of its
// media folder) into DIR. The work is in scripts/export.ts and src/backup/.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const entry = await bundleEntry('scripts/export.ts', path.join(SCRATCH_DIR, 'export.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
