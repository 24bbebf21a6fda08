// The servers the fuzzer runs against. Readers (anonymous, API key) and the admin get a server each:
// an admin's fuzzed writes delete and rewrite content, which must not change what the readers' run
// meets, so that a seed gives the same requests and answers every time.
import crypto from 'node:crypto'

import type { OpenAPIDocument } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'
import type { FuzzRequest, Identity, Target } from './fuzzer'

/** Fuzzing is thousands of requests from one address: the rate limits would answer most of them. */
const FUZZ_ENV = { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_API_KEY: '0', RATE_LIMIT_PER_SESSION: '0' }

const call = async (url: string, path: string, init: RequestInit = {}) => {
  const res = await fetch(`${url}${path}`, init)
  const body = (await res.json()) as Record<string, any>
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${JSON.stringify(body)}`)
  return body
}

const adminToken = async (url: string) =>
  `JWT ${(await call(url, '/api/users/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEST_ADMIN) })).token}`

/** Ids and file names that exist, so that requests reach documents as well as 404s. */
const knownValuesOf = async (url: string, auth: string, spec: OpenAPIDocument) => {
  const values: Record<string, string[]> = {}
  const slugs = new Set(
    Object.keys(spec.paths)
      .map((path) => /^\/api\/([^/{]+)\/\{id\}$/.exec(path)?.[1])
      .filter((slug): slug is string => Boolean(slug) && slug !== 'globals'),
  )
  for (const slug of slugs) {
    const found = await fetch(`${url}/api/${slug}?limit=3&depth=0`, { headers: { authorization: auth } })
    if (!found.ok) continue
    const docs = ((await found.json()) as { docs?: Record<string, unknown>[] }).docs ?? []
    values[`${slug}:id`] = docs.map((doc) => String(doc.id))
    const filenames = docs.map((doc) => doc.filename).filter((name): name is string => typeof name === 'string')
    if (filenames.length) values[`${slug}:filename`] = filenames
    const versions = await fetch(`${url}/api/${slug}/versions?limit=2&depth=0`, { headers: { authorization: auth } })
    if (versions.ok) {
      const versionIds = (((await versions.json()) as { docs?: { id: unknown }[] }).docs ?? []).map((doc) => String(doc.id))
      values[`${slug}:id`].push(...versionIds)
    }
  }
  return values
}

export type FuzzTargets = {
  spec: OpenAPIDocument
  targets: { target: Target; identities: Identity[] }[]
  servers: TestServer[]
  stop: () => Promise<void>
}

/**
 * The admin never writes to /api/users: logging out, changing its own password or key, or deleting
 * the fuzzing accounts would turn the rest of the run into anonymous requests. Those routes are
 * fuzzed anonymously and with the API key (and by hand in test/http).
 */
export const adminMayCall = (request: FuzzRequest) =>
  request.identity !== 'admin' || !request.path.startsWith('/api/users') || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)

export const startFuzzTargets = async (): Promise<FuzzTargets> => {
  const [readers, admins] = await Promise.all([
    startTestServer({ seed: true, env: FUZZ_ENV }),
    startTestServer({ seed: true, env: FUZZ_ENV }),
  ])
  try {
    const spec = (await call(readers.url, '/api/openapi.json')) as OpenAPIDocument

    // The readers' server: an author whose API key is the "API key" identity.
    const readersAdmin = await adminToken(readers.url)
    const apiKey = crypto.randomUUID()
    await call(readers.url, '/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: readersAdmin },
      body: JSON.stringify({
        email: 'fuzz-key@greenroom.test',
        password: crypto.randomUUID(),
        name: 'Fuzz key',
        role: 'author',
        enableAPIKey: true,
        apiKey,
      }),
    })
    const adminAuth = await adminToken(admins.url)
    const readersTarget: Target = {
      url: readers.url,
      auth: { apiKey: `users API-Key ${apiKey}` },
      knownValues: await knownValuesOf(readers.url, readersAdmin, spec),
    }
    const adminTarget: Target = { url: admins.url, auth: { admin: adminAuth }, knownValues: await knownValuesOf(admins.url, adminAuth, spec) }
    return {
      spec,
      targets: [
        { target: readersTarget, identities: ['anonymous', 'apiKey'] },
        { target: adminTarget, identities: ['admin'] },
      ],
      servers: [readers, admins],
      stop: async () => {
        await Promise.all([readers.stop(), admins.stop()])
      },
    }
  } catch (error) {
    await Promise.all([readers.stop(), admins.stop()])
    throw error
  }
}
