// The typed client as a front end gets it: `npm pack` in client/, the tarball installed with npm into a
// project outside this checkout (offline: its dependencies come as tarballs packed from this checkout's
// node_modules, at the versions client/package.json names), and type-checked there under
// moduleResolution Bundler and NodeNext, with the client's own declarations checked too (no skipLibCheck).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const CLIENT = path.join(ROOT, 'client')
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')

let scratch: string
let tarball: string

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })

/** What a front end writes: a typed list read, a field of its result, an exported document type. */
const RIGHT = `import { createGreenroomClient, type Post } from '@greenroom/client'
const cms = createGreenroomClient({ serverURL: 'https://cms.example.com' })
const { docs } = await cms.find({ collection: 'posts', where: { or: [{ slug: { equals: 'a' } }] }, limit: 1 })
const title: string = docs[0].title
const posts: Post[] = docs
const header = await cms.findGlobal({ slug: 'header' })
await cms.update({ collection: 'posts', id: 1, data: { meta: { title: 'SEO' } } })
console.log(title, posts, header.navItems)
`

/** A misspelt collection, a field posts do not have, and one their SEO group does not have in an update. */
const WRONG = `import { createGreenroomClient } from '@greenroom/client'
const cms = createGreenroomClient({ serverURL: 'https://cms.example.com' })
await cms.find({ collection: 'postz' })
const { docs } = await cms.find({ collection: 'posts' })
console.log(docs[0].titel)
await cms.update({ collection: 'posts', id: 1, data: { meta: { titel: 'SEO' } } })
`

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-client-package-'))
  // prepack builds the package (tsc, and the SDK copied in), so this is what `npm publish` would ship.
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], CLIENT)) as {
    filename: string
    size: number
    unpackedSize: number
  }[]
  tarball = path.join(scratch, packed[0].filename)
  console.log(`@greenroom/client: packed ${packed[0].size} bytes, unpacked ${packed[0].unpackedSize} bytes`)

  const manifest = JSON.parse(fs.readFileSync(path.join(CLIENT, 'package.json'), 'utf8'))
  const dependencies = Object.entries(manifest.dependencies as Record<string, string>).map(([name, version]) => {
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'))
    expect(`${name}@${installed.version}`).toBe(`${name}@${version}`)
    return path.join(scratch, JSON.parse(npm(['pack', '--json', path.join(ROOT, 'node_modules', name)], scratch))[0].filename)
  })

  const project = path.join(scratch, 'site')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'site', private: true, type: 'module' }))
  npm(['install', '--offline', '--no-package-lock', ...dependencies, tarball], project)
  fs.writeFileSync(path.join(project, 'right.ts'), RIGHT)
  fs.writeFileSync(path.join(project, 'wrong.ts'), WRONG)
}, 240_000)

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
})

test('installs small and on its own: no payload, only qs-esm beside it, the SDK and the generated types inside', () => {
  const modules = path.join(scratch, 'site', 'node_modules')
  expect(fs.readdirSync(modules).filter((name) => !name.startsWith('.')).sort()).toEqual(['@greenroom', 'qs-esm'])
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n')
  expect(files).toEqual(
    expect.arrayContaining([
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/generated/payload-types.d.ts',
      'package/dist/sdk/index.js',
      'package/dist/sdk/payload.d.ts',
      'package/dist/sdk/ts-essentials.d.ts',
    ]),
  )
  const bytes = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .reduce((sum, entry) => sum + (entry.isDirectory() ? bytes(path.join(dir, entry.name)) : fs.statSync(path.join(dir, entry.name)).size), 0)
  const installed = bytes(modules)
  console.log(`@greenroom/client installed with its dependencies: ${installed} bytes`)
  expect(installed).toBeLessThan(1024 * 1024)
})

test.each(['Bundler', 'NodeNext'])('under moduleResolution %s the right call type-checks and the wrong one fails', (resolution) => {
  const result = spawnSync(
    process.execPath,
    [
      TSC,
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      'false',
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
      '--module',
      resolution === 'Bundler' ? 'esnext' : 'nodenext',
      '--moduleResolution',
      resolution,
      'right.ts',
      'wrong.ts',
    ],
    { cwd: path.join(scratch, 'site'), encoding: 'utf8' },
  )
  const errors = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line))
  expect(errors).toEqual([
    expect.stringMatching(/^wrong\.ts\(3,18\): error TS2820: Type '"postz"' is not assignable to type .*Did you mean '"posts"'\?$/),
    expect.stringMatching(/^wrong\.ts\(5,21\): error TS2551: Property 'titel' does not exist on type .*Did you mean 'title'\?$/),
    expect.stringMatching(/^wrong\.ts\(6,64\): error TS2769: No overload matches this call\.$/),
  ])
  expect(result.stdout).toContain("'titel' does not exist in type '{ title?: string | null | undefined;")
})
