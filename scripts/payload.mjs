// Payload's CLI (`npm run payload -- <command>`, generate:types, migrate:create, …), run on plain
// Node (see lib/payloadBin.mjs).
import { runPayloadBin } from './lib/payloadBin.mjs'

process.exit(await runPayloadBin('node_modules/payload/bin.js', process.argv.slice(2)))
