// @payloadcms/graphql's CLI: `generate:schema` writes the GraphQL SDL to graphQL.schemaOutputFile
// (schema.graphql). Payload's own CLI has no such command. Run on plain Node like scripts/payload.mjs.
import { runPayloadBin } from './lib/payloadBin.mjs'

process.exit(await runPayloadBin('node_modules/@payloadcms/graphql/bin.js', process.argv.slice(2)))
