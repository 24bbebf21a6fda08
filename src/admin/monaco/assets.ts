import { createRequire } from 'node:module'
import path from 'node:path'

import type { RequestHandler } from 'express'
import express from 'express'

import { MONACO_ROUTE, MONACO_VERSION } from './version'

/** The `min/vs` folder of the installed monaco-editor package; throws when it is not the version the admin asks for. */
export const monacoDirectory = (root = process.cwd()): string => {
  const manifest = createRequire(path.join(root, 'package.json')).resolve('monaco-editor/package.json')
  const { version } = createRequire(manifest)(manifest) as { version: string }
  if (version !== MONACO_VERSION) {
    throw new Error(`monaco-editor ${version} is installed, but the admin panel loads ${MONACO_VERSION} (src/admin/monaco/version.ts).`)
  }
  return path.join(path.dirname(manifest), 'min', 'vs')
}

/**
 * Monaco's files for the admin panel's code editor, from this server instead of a public CDN (which
 * an offline install, or a strict Content-Security-Policy, never reaches). The version is in the
 * path, so a browser keeps each file for good; an upgrade changes the path.
 */
export const monacoAssets = (directory = monacoDirectory()): { route: string; handler: RequestHandler } => {
  const files = express.static(path.join(directory), {
    immutable: true,
    maxAge: '365d',
    index: false,
    redirect: false,
    dotfiles: 'ignore',
  })
  const notFound: RequestHandler = (_req, res) => {
    res.status(404).type('text/plain').setHeader('Cache-Control', 'no-store').send('Not found')
  }
  const router = express.Router()
  router.use(files, notFound)
  return { route: `${MONACO_ROUTE}/vs`, handler: router }
}
