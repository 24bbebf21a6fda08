// `npm start`: the production server on this machine, from a fresh clone onwards. Builds when the
// build is missing or older than the code, then runs the compiled server, which applies pending
// migrations and seeds demo content into an empty database before it listens.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { SERVER_NODE_ARGS, ensureProductionBuild } from './lib/build.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

prepareLocalEnv(root)
ensureProductionBuild(root).then(
  () => {
    const server = spawn(process.execPath, SERVER_NODE_ARGS, {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
    server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
