// Copies the server's generated types (../src/payload-types.ts) into the package, so that it builds
// and type-checks outside this checkout. Run by the root's `npm run generate:types`; CI checks the
// copy is current (scripts/check-generated.mjs). The copy leaves out the `declare module 'payload'`
// augmentation: the client does not depend on `payload`, and its SDK is generic on `Config` instead.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const client = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const source = path.join(client, '..', 'src', 'payload-types.ts')
const target = path.join(client, 'src', 'generated', 'payload-types.ts')

const AUGMENTATION = /\n*declare module 'payload' \{\n\s*export interface GeneratedTypes extends Config \{\}\n\}\n*/
const types = fs.readFileSync(source, 'utf8')
if (!AUGMENTATION.test(types)) throw new Error(`${source} no longer ends in the augmentation this script removes.`)
if (/^import\b.*from 'payload'/m.test(types)) throw new Error(`${source} imports from 'payload', which the client cannot.`)
fs.mkdirSync(path.dirname(target), { recursive: true })
fs.writeFileSync(
  target,
  `// Copied from src/payload-types.ts by client/scripts/copy-types.mjs (npm run generate:types); do not edit.\n${types.replace(AUGMENTATION, '\n')}`,
)
