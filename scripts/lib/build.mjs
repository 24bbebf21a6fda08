import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { RUNTIME_NODE_ARGS, bundleEntry } from './bundle.mjs'

/** What the production build is made from; a change to any of it makes the build stale. */
const BUILD_INPUTS = ['src', 'payload.config.ts', 'next.config.mjs', 'tsconfig.json', 'package-lock.json', 'scripts/lib/build.mjs', 'scripts/lib/bundle.mjs']

/** The production server, compiled: `node --import ./scripts/preload-lexical.mjs dist/server.mjs`. */
export const SERVER_BUNDLE = path.join('dist', 'server.mjs')
/**
 * A read Payload renders allocates a few MB that die young; V8's default young generation (16 MB
 * semi-spaces) then scavenges every few requests under load. 64 MB semi-spaces gave the uncached post
 * list 8-10 % more requests a second (six of six runs by turns, 1,000 posts) for tens of MB of RSS.
 * The Dockerfile's CMD passes the same.
 */
export const SERVER_HEAP_ARGS = ['--max-semi-space-size=64']
export const SERVER_NODE_ARGS = [...SERVER_HEAP_ARGS, ...RUNTIME_NODE_ARGS, SERVER_BUNDLE]
const STAMP_FILE = path.join('.next', 'greenroom-build-stamp')

const listFiles = (root, entry) => {
  const full = path.join(root, entry)
  if (!fs.existsSync(full)) return []
  if (!fs.statSync(full).isDirectory()) return [entry]
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((child) => listFiles(root, path.join(entry, child.name)))
}

export const buildStamp = (root = process.cwd()) => {
  const hash = crypto.createHash('sha256')
  for (const file of BUILD_INPUTS.flatMap((entry) => listFiles(root, entry)).sort()) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0')
  }
  return hash.digest('hex')
}

export const isBuildCurrent = (root = process.cwd()) => {
  const stampPath = path.join(root, STAMP_FILE)
  return (
    fs.existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    fs.existsSync(path.join(root, SERVER_BUNDLE)) &&
    fs.existsSync(stampPath) &&
    fs.readFileSync(stampPath, 'utf8').trim() === buildStamp(root)
  )
}

/**
 * Compiles the express server and the Payload config into dist/server.mjs: production runs plain JavaScript. What
 * the server imports on demand (the database adapter it needs, with its driver and migrations) goes into chunks of
 * its own under dist/chunks/, so a start loads only that; in one file, esbuild would hoist their imports to the top.
 */
export const bundleServer = async (root = process.cwd()) => {
  fs.rmSync(path.join(root, 'dist', 'chunks'), { recursive: true, force: true })
  return bundleEntry('src/server.ts', SERVER_BUNDLE, root, { splitting: true })
}

/**
 * Runs `next build` and bundles the server unless the existing build was made from the current sources, so `npm start`
 * and the tests never serve an admin panel older than the code.
 */
export const ensureProductionBuild = async (root = process.cwd(), log = console.log, { force = false } = {}) => {
  if (!force && isBuildCurrent(root)) return false
  const release = await acquireBuildLock(root, log)
  try {
    // Another process may have finished the same build while this one waited for the lock.
    if (!force && isBuildCurrent(root)) return false
    return await build(root, log)
  } finally {
    release()
  }
}

const processIsAlive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/**
 * Two `next build`s in one checkout overwrite each other's .next folder, and parallel jest runs, `npm start` and the
 * benchmark all build on demand; so builds take turns. A lock left by a process that died is taken over.
 */
const acquireBuildLock = async (root, log) => {
  const lockDir = path.join(root, 'node_modules', '.cache', 'greenroom', 'build.lock')
  fs.mkdirSync(path.dirname(lockDir), { recursive: true })
  let announced = false
  for (;;) {
    try {
      fs.mkdirSync(lockDir)
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid))
      return () => fs.rmSync(lockDir, { recursive: true, force: true })
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
    }
    const holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0)
    if (holder && !processIsAlive(holder)) {
      fs.rmSync(lockDir, { recursive: true, force: true })
      continue
    }
    if (!announced) log(`Waiting for the build that process ${holder || '?'} is running…`)
    announced = true
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

const build = async (root, log) => {
  log('Building the admin panel for production (next build); this takes a minute the first time…')
  const stamp = buildStamp(root)
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  })
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status ?? result.signal})`)
  await bundleServer(root)
  fs.writeFileSync(path.join(root, STAMP_FILE), `${stamp}\n`)
  return true
}
