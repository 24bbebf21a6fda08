// `npm run media:regenerate`: makes the resized images and placeholders of every media document
// again from its original, resumably, while the server serves. The work is in src/media/regenerate.ts.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const entry = await bundleEntry('scripts/media-regenerate.ts', path.join(SCRATCH_DIR, 'media-regenerate.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
