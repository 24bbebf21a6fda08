// Runs the seed in the same mode as `npm start` (production, migrations applied, .env loaded).
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
process.env.NODE_ENV ??= 'production'
prepareLocalEnv(root)

const { register } = await import('tsx/esm/api')
register()
await import('./seed.ts')
