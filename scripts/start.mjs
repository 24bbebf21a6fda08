// `npm start`: the production server on this machine, from a fresh clone onwards. Builds the admin
// panel when the build is missing or older than the code, applies pending migrations and seeds
// demo content into an empty database (both at server start-up), then serves.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { ensureProductionBuild } from './lib/build.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
process.env.NODE_ENV = 'production'
process.env.NEXT_TELEMETRY_DISABLED ??= '1'

prepareLocalEnv(root)
ensureProductionBuild(root)

const { register } = await import('tsx/esm/api')
register()
await import('../src/server.ts')
