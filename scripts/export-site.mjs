// `npm run export:site -- --out DIR`: writes the published content of the database `npm start`
// uses, as a static site builds from it, into DIR. The work is in scripts/export-site.ts and src/siteExport/.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const entry = await bundleEntry('scripts/export-site.ts', path.join(SCRATCH_DIR, 'export-site.mjs'), root)
const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
process.exit(result.status ?? 1)
