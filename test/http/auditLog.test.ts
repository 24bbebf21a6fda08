import type { Json } from '../helpers/http'
import { api, graphql, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

/**
 * The audit log over HTTP (src/auditLog/): sign-ins that succeed and fail are recorded with the
 * client's address as TRUST_PROXY tells it (the test client is on loopback, which is trusted by
 * default, so `X-Forwarded-For` plays clients elsewhere) and its user agent; only admins read the
 * log, and nobody writes it through REST or GraphQL.
 */

let server: TestServer
let adminAuth: string
let editorAuth: string
let keyAuth: string
let editor: { id: number; email: string }
const EDITOR_PASSWORD = 'editor-password-123'

beforeAll(async () => {
  server = await startTestServer()
  adminAuth = await login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)
  const created = await api(server.url, '/api/users', {
    method: 'POST',
    auth: adminAuth,
    body: { email: 'audit-editor@greenroom.test', password: EDITOR_PASSWORD, name: 'Audit editor', role: 'editor' },
  })
  expect(created.status).toBe(201)
  editor = created.body.doc
  editorAuth = await login(server.url, editor.email, EDITOR_PASSWORD)
  const key = '7f3c2a10-5b6e-4d8f-9a0b-1c2d3e4f5a6b'
  const enabled = await api(server.url, `/api/users/${editor.id}`, { method: 'PATCH', auth: adminAuth, body: { enableAPIKey: true, apiKey: key } })
  expect(enabled.status).toBe(200)
  keyAuth = `users API-Key ${key}`
}, 180_000)

afterAll(async () => {
  await server?.stop()
})

const latest = async (where: string): Promise<Json[]> => {
  const res = await api(server.url, `/api/audit-log?${where}&sort=-createdAt&depth=0&limit=10`, { auth: adminAuth })
  expect(res.status).toBe(200)
  return res.body.docs
}

const from = (address: string, userAgent: string) => ({ 'x-forwarded-for': address, 'user-agent': userAgent })

describe('sign-ins', () => {
  test('REST: a success and a failure, each with the address and user agent of the client', async () => {
    const ok = await api(server.url, '/api/users/login', {
      method: 'POST',
      body: { email: editor.email, password: EDITOR_PASSWORD },
      headers: from('203.0.113.10', 'AuditTest/1.0 (success)'),
    })
    expect(ok.status).toBe(200)
    const bad = await api(server.url, '/api/users/login', {
      method: 'POST',
      body: { email: editor.email, password: 'not-the-password' },
      headers: from('203.0.113.11', 'AuditTest/1.0 (failure)'),
    })
    expect(bad.status).toBe(401)
    const unknown = await api(server.url, '/api/users/login', {
      method: 'POST',
      body: { email: 'Nobody-Here@greenroom.test', password: 'whatever-123' },
      headers: from('203.0.113.12', 'AuditTest/1.0 (unknown)'),
    })
    expect(unknown.status).toBe(401)

    const [success] = await latest(`where[action][equals]=login&where[user][equals]=${editor.id}`)
    expect(success).toMatchObject({
      entity: 'users',
      documentId: String(editor.id),
      actorLabel: editor.email,
      viaApiKey: false,
      ip: '203.0.113.10',
      userAgent: 'AuditTest/1.0 (success)',
    })
    const failures = await latest('where[action][equals]=login-failed')
    expect(failures.slice(0, 2)).toEqual([
      expect.objectContaining({
        actorLabel: 'nobody-here@greenroom.test',
        user: null,
        ip: '203.0.113.12',
        userAgent: 'AuditTest/1.0 (unknown)',
        detail: 'wrong email or password',
      }),
      expect.objectContaining({
        actorLabel: editor.email,
        user: editor.id,
        documentId: String(editor.id),
        ip: '203.0.113.11',
        userAgent: 'AuditTest/1.0 (failure)',
        detail: 'wrong email or password',
      }),
    ])
    // The password tried is never stored.
    const all = await api(server.url, '/api/audit-log?limit=100&depth=0', { auth: adminAuth })
    expect(JSON.stringify(all.body)).not.toContain('not-the-password')
    expect(JSON.stringify(all.body)).not.toContain(EDITOR_PASSWORD)
  })

  test('GraphQL: a failed loginUser is recorded too', async () => {
    const res = await api(server.url, '/api/graphql', {
      method: 'POST',
      body: {
        query: 'mutation ($email: String!, $password: String!) { loginUser(email: $email, password: $password) { token } }',
        variables: { email: editor.email, password: 'wrong-via-graphql' },
      },
      headers: from('203.0.113.13', 'AuditTest/1.0 (graphql)'),
    })
    expect(res.body.errors?.[0]?.message).toMatch(/incorrect/)
    const [failure] = await latest('where[action][equals]=login-failed')
    expect(failure).toMatchObject({ actorLabel: editor.email, ip: '203.0.113.13', userAgent: 'AuditTest/1.0 (graphql)' })
  })

  test('an address from a client the proxy setting does not trust is not believed', async () => {
    // The forwarded chain's last hop before the trusted loopback proxy is the client; a forged
    // first entry does not move it.
    await api(server.url, '/api/users/login', {
      method: 'POST',
      body: { email: editor.email, password: 'wrong-again' },
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.14', 'user-agent': 'x'.repeat(1000) },
    })
    const [failure] = await latest('where[action][equals]=login-failed')
    expect(failure.ip).toBe('203.0.113.14')
    expect(failure.userAgent.length).toBeLessThanOrEqual(300)
  })
})

describe('writes', () => {
  test("an editor's REST write is recorded with the changed fields and where it came from", async () => {
    const created = await api(server.url, '/api/categories', {
      method: 'POST',
      auth: editorAuth,
      body: { title: 'Audited over HTTP' },
      headers: from('203.0.113.20', 'AuditTest/1.0 (write)'),
    })
    expect(created.status).toBe(201)
    const id = created.body.doc.id
    const updated = await api(server.url, `/api/categories/${id}`, {
      method: 'PATCH',
      auth: editorAuth,
      body: { title: 'Audited over HTTP, renamed' },
      headers: from('203.0.113.21', 'AuditTest/1.0 (write)'),
    })
    expect(updated.status).toBe(200)
    const entries = await latest(`where[entity][equals]=categories&where[documentId][equals]=${id}`)
    expect(entries[0]).toMatchObject({ action: 'update', user: editor.id, ip: '203.0.113.21', userAgent: 'AuditTest/1.0 (write)' })
    expect(entries[0].changedFields).toContain('title')
    expect(entries.at(-1)).toMatchObject({ action: 'create', ip: '203.0.113.20' })
  })

  test('an API key cannot write, and its refused attempt records no change', async () => {
    const before = (await api(server.url, '/api/audit-log?limit=1&depth=0', { auth: adminAuth })).body.totalDocs
    const refused = await api(server.url, '/api/categories', { method: 'POST', auth: keyAuth, body: { title: 'By key' } })
    expect(refused.status).toBe(403)
    expect((await api(server.url, '/api/audit-log?limit=1&depth=0', { auth: adminAuth })).body.totalDocs).toBe(before)
    expect(await latest('where[viaApiKey][equals]=true')).toEqual([])
  })
})

describe('who reads and writes the log', () => {
  test('only admins read it; editors, API keys and anonymous readers are refused', async () => {
    expect((await api(server.url, '/api/audit-log', { auth: adminAuth })).status).toBe(200)
    for (const auth of [editorAuth, keyAuth, undefined]) {
      const res = await api(server.url, '/api/audit-log', { auth })
      expect([401, 403]).toContain(res.status)
      expect(res.body.errors?.[0]?.message).toEqual(expect.any(String))
    }
    const query = '{ AuditLogs { docs { id action } } }'
    expect((await graphql(server.url, query, {}, adminAuth)).body.data.AuditLogs.docs.length).toBeGreaterThan(0)
    for (const auth of [editorAuth, keyAuth, undefined]) {
      const res = await graphql(server.url, query, {}, auth)
      expect(res.body.data?.AuditLogs ?? null).toBeNull()
      expect(res.body.errors?.[0]?.message).toEqual(expect.any(String))
    }
  })

  test('nobody writes it through REST or GraphQL, admins included', async () => {
    const [entry] = await latest('where[action][exists]=true')
    for (const auth of [adminAuth, editorAuth, keyAuth, undefined]) {
      const create = await api(server.url, '/api/audit-log', { method: 'POST', auth, body: { action: 'login', entity: 'users' } })
      expect([401, 403]).toContain(create.status)
      const update = await api(server.url, `/api/audit-log/${entry.id}`, { method: 'PATCH', auth, body: { ip: '1.2.3.4' } })
      expect([401, 403, 404]).toContain(update.status)
      const remove = await api(server.url, `/api/audit-log/${entry.id}`, { method: 'DELETE', auth })
      expect([401, 403, 404]).toContain(remove.status)
    }
    const mutation = await graphql(server.url, 'mutation { deleteAuditLog(id: 1) { id } }', {}, adminAuth)
    expect(mutation.status).toBe(400)
    expect(mutation.body.errors?.[0]?.message).toMatch(/deleteAuditLog/)
    const again = await api(server.url, `/api/audit-log/${entry.id}?depth=0`, { auth: adminAuth })
    expect(again.body).toMatchObject({ id: entry.id, ip: entry.ip })
  })
})
