// `npm run import -- DIR`: restores a backup made by `npm run export` into the empty database
// `npm start` would use (and its media folder). The work is in scripts/import.ts and src/backup/.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const entry = await bundleEntry('scripts/import.ts', path.join(SCRATCH_DIR, 'import.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
