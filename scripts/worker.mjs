// `npm run worker`: runs the job queues (scheduled publishing, build-hook deliveries, form emails, the
// daily clean-ups) on their schedules in a process of its own, with no HTTP server. The work is in
// scripts/worker.ts. Signals reach it, so a process manager stops it like the server.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'
import { prepareLocalEnv } from './lib/localEnv.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
prepareLocalEnv(root)
const entry = await bundleEntry('scripts/worker.ts', path.join(SCRATCH_DIR, 'worker.mjs'), root)
const worker = spawn(process.execPath, [...RUNTIME_NODE_ARGS, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.kill(signal))
worker.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
