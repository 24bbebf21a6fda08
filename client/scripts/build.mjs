// Builds the package into dist/: src compiled by tsc, and Payload's official REST client
// (@payloadcms/sdk, a devDependency) carried inside as dist/sdk/. The SDK lists the whole `payload`
// package as a dependency, 117 MB installed, for types alone (its JavaScript imports only qs-esm), so
// the copy's `import type … from 'payload'` read vendor/payload.d.ts instead, and its two types from
// ts-essentials vendor/ts-essentials.d.ts: the package then needs qs-esm, and nothing else.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const client = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(client, 'dist')
const require = createRequire(path.join(client, 'package.json'))

fs.rmSync(dist, { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(client, 'tsconfig.json')], {
  stdio: 'inherit',
})
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

const sdkDist = path.dirname(require.resolve('@payloadcms/sdk'))
const sdkPackage = JSON.parse(fs.readFileSync(path.join(sdkDist, '..', 'package.json'), 'utf8'))
const ours = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8'))
if (sdkPackage.version !== ours.devDependencies['@payloadcms/sdk'])
  throw new Error(`@payloadcms/sdk ${sdkPackage.version} is installed; package.json names ${ours.devDependencies['@payloadcms/sdk']}.`)
// The SDK's own run-time dependencies must be this package's, at the same versions; the two it uses
// for types only are vendored.
const VENDORED = { payload: 'payload.js', 'ts-essentials': 'ts-essentials.js' }
for (const [name, version] of Object.entries(sdkPackage.dependencies)) {
  if (!Object.hasOwn(VENDORED, name) && ours.dependencies[name] !== version)
    throw new Error(`@payloadcms/sdk depends on ${name} ${version}; add it to dependencies at that version.`)
}

const sdkOut = path.join(dist, 'sdk')
const copy = (from, to) => {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) {
      copy(source, target)
      continue
    }
    if (!/\.(d\.ts|js)$/.test(entry.name)) continue
    fs.mkdirSync(to, { recursive: true })
    let text = fs.readFileSync(source, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    if (entry.name.endsWith('.d.ts')) {
      for (const [name, file] of Object.entries(VENDORED)) {
        const shim = path.relative(path.dirname(target), path.join(sdkOut, file)).split(path.sep).join('/')
        text = text.replaceAll(`from '${name}';`, `from '${shim.startsWith('.') ? shim : `./${shim}`}';`)
      }
    }
    for (const name of Object.keys(VENDORED))
      if (text.includes(`from '${name}'`)) throw new Error(`${source} still imports ${name}.`)
    fs.writeFileSync(target, text)
  }
}
copy(sdkDist, sdkOut)
for (const file of Object.values(VENDORED)) {
  const declarations = file.replace(/\.js$/, '.d.ts')
  fs.copyFileSync(path.join(client, 'vendor', declarations), path.join(sdkOut, declarations))
}
fs.copyFileSync(path.join(sdkDist, '..', 'license.md'), path.join(sdkOut, 'license.md'))

// The compiled entry points at the copy instead of the package.
for (const file of ['index.js', 'index.d.ts']) {
  const target = path.join(dist, file)
  fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replaceAll("from '@payloadcms/sdk'", "from './sdk/index.js'"))
}
