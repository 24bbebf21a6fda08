// Runs a Payload CLI on plain Node: the config is compiled with esbuild first and handed to the bin
// with --disable-transpile, instead of the bin loading it through tsx, whose loader thread on Node 20
// was seen hanging a CI run. Lexical is loaded first (see preload-lexical.mjs).
import { spawnSync } from 'node:child_process'
import path from 'node:path'

import { RUNTIME_NODE_ARGS, SCRATCH_DIR, bundleEntry } from './bundle.mjs'

/** `bin`: Payload's own (node_modules/payload/bin.js) or another official package's, e.g. @payloadcms/graphql's. */
export const runPayloadBin = async (bin, args) => {
  const config = await bundleEntry('payload.config.ts', path.join(SCRATCH_DIR, 'payload.config.mjs'))
  const result = spawnSync(process.execPath, [...RUNTIME_NODE_ARGS, bin, ...args, '--disable-transpile'], {
    stdio: 'inherit',
    env: { ...process.env, PAYLOAD_CONFIG_PATH: config },
  })
  return result.status ?? 1
}
