import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'

import { ROOT } from './server'

/** Where failure screenshots go (git-ignored). */
export const RESULTS_DIR = path.join(ROOT, 'test-results')

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

export const CHROMIUM_INSTALL_HINT =
  'Install Debian\'s Chromium with `apt-get update && apt-get install -y chromium` (as root), or point CHROMIUM_PATH at a ' +
  'Chromium/Chrome binary. Never run `npx playwright install`: these machines have no internet beyond the package registries.'

/**
 * The Chromium to drive: `CHROMIUM_PATH` if set (it must exist), else Debian's usual paths.
 * Returns null when there is none.
 */
export const findChromium = (): string | null => {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null
  return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate)) ?? null
}

/**
 * Flags for a quiet headless Chromium on a machine without internet: without the
 * background-networking flags Chromium stalls on blocked connections.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export type TestBrowser = {
  context: BrowserContext
  page: Page
  /** Browser console errors/warnings, uncaught page errors, failed requests and 4xx/5xx answers, in order. */
  messages: string[]
  /** Every URL the pages asked for, in order (documents, scripts, fonts, fetches, frames, workers). */
  requests: string[]
  /** Closes the browser and removes its profile folder; safe to call more than once. */
  close: () => Promise<void>
}

/**
 * Launches Chromium with a fresh profile in a temp folder (Playwright takes the profile as
 * launchPersistentContext's first argument; it refuses `--user-data-dir` in `args`).
 */
export const launchBrowser = async (executablePath: string): Promise<TestBrowser> => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    })
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true })
    throw error
  }
  const messages: string[] = []
  const requests: string[] = []
  // On the context, so requests of every page, frame (live preview) and worker (Monaco's) count.
  context.on('request', (request) => requests.push(request.url()))
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      messages.push(`[console.${message.type()}] ${page.url()}: ${message.text()}`)
    }
  })
  page.on('pageerror', (error) => messages.push(`[pageerror] ${page.url()}: ${error.message}`))
  page.on('requestfailed', (request) => {
    messages.push(`[requestfailed] ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'unknown'}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) messages.push(`[http ${response.status()}] ${response.request().method()} ${response.url()}`)
  })

  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    try {
      await context.close()
    } finally {
      fs.rmSync(userDataDir, { recursive: true, force: true })
    }
  }
  return { context, page, messages, requests, close }
}

/** Saves a full-page screenshot to test-results/ and returns its path (or null if that failed too). */
export const saveScreenshot = async (page: Page | undefined, name: string): Promise<string | null> => {
  if (!page || page.isClosed()) return null
  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true })
    const file = path.join(RESULTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}-${Date.now()}.png`)
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 })
    return file
  } catch {
    return null
  }
}

/**
 * The requests that went anywhere but `origin` (data:, blob: and about: URLs never leave the browser).
 * The admin must work offline and under a strict CSP, so any such request is a bug.
 */
export const requestsToOtherOrigins = (browser: TestBrowser, origin: string): string[] => {
  const own = new URL(origin).origin
  return browser.requests.filter((url) => {
    if (/^(data|blob|about):/.test(url)) return false
    return new URL(url).origin !== own
  })
}

/** Where the screenshots the e2e tests keep as artifacts go (git-ignored, overwritten on each run). */
export const SCREENSHOTS_DIR = path.join(RESULTS_DIR, 'screenshots')

/**
 * Keeps a screenshot of what a step shows, under a stable name (test-results/screenshots/NAME.png),
 * for people to look at after a run; unlike saveScreenshot it throws when it cannot take one.
 */
export const keepScreenshot = async (page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> => {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true })
  const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`)
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true, timeout: 20_000 })
  return file
}
