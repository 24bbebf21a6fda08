// Payload's CLI (`npm run payload -- <command>`, generate:types, migrate:create, …), run on plain
// Node: the config is compiled with esbuild first and handed to Payload's bin with
// --disable-transpile, instead of Payload loading it through tsx, whose loader thread on Node 20
// was seen hanging a CI run. Lexical is loaded first (see preload-lexical.mjs).
import { spawnSync } from 'node:child_process'
import path from 'node:path'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './lib/bundle.mjs'

const config = await bundleEntry('payload.config.ts', path.join(SCRATCH_DIR, 'payload.config.mjs'))
const result = spawnSync(
  process.execPath,
  [...RUNTIME_NODE_ARGS, 'node_modules/payload/bin.js', ...process.argv.slice(2), '--disable-transpile'],
  { stdio: 'inherit', env: { ...process.env, PAYLOAD_CONFIG_PATH: config } },
)
process.exit(result.status ?? 1)
