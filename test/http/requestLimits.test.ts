// Issue 11, finding 3: request bodies are capped (JSON and other non-upload bodies by
// API_MAX_JSON_BODY_KB, uploads by MEDIA_MAX_UPLOAD_MB), form submissions carry only what their form
// defines, and they have a rate limit of their own, on REST and GraphQL alike.
import fs from 'node:fs'
import http from 'node:http'

import { api, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let contactForm: number
let richForm: number

/** Every test sends from an address of its own (the server trusts X-Forwarded-For from loopback), so rate limits do not mix. */
let nextAddress = 1
const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` })

type Sent = { status: number; headers: http.IncomingHttpHeaders; body: string }

/**
 * Sends a body through node:http in 64 KB pieces, as fast as the server takes them, with or without a
 * Content-Length; stops writing once the answer has come.
 */
const sendBody = (
  path: string,
  { size, contentType, chunked, headers = {} }: { size: number; contentType: string; chunked: boolean; headers?: Record<string, string> },
) =>
  new Promise<Sent>((resolve, reject) => {
    const piece = Buffer.alloc(64 * 1024, 'x')
    let written = 0
    let answered = false
    const req = http.request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(chunked ? {} : { 'content-length': String(size) }), ...headers },
    })
    req.on('response', (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    // A server that answers and closes while the client still writes: the answer is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    const pump = () => {
      while (!answered && written < size) {
        const chunk = piece.subarray(0, Math.min(piece.length, size - written))
        written += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })

const databaseBytes = () => {
  const file = server.databaseUri.replace(/^file:/, '')
  return ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0)
}

const entry = (field: string, value: unknown) => ({ field, value })

const submit = (data: unknown, headers: Record<string, string> = fromNewAddress()) =>
  api(url, '/api/form-submissions', { method: 'POST', body: data, headers })

beforeAll(async () => {
  server = await startTestServer({ seed: true, env: { RATE_LIMIT_FORM_SUBMISSIONS: '3' } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  const contact = (await api(url, '/api/forms?where[title][equals]=Contact', { auth: adminAuth })).body.docs[0]
  contactForm = contact.id
  const created = await api(url, '/api/forms', {
    method: 'POST',
    auth: adminAuth,
    body: {
      title: 'Every field',
      confirmationType: 'message',
      confirmationMessage: contact.confirmationMessage,
      fields: [
        { blockType: 'text', name: 'name', label: 'Name', required: true },
        { blockType: 'email', name: 'email', label: 'Email' },
        { blockType: 'textarea', name: 'message', label: 'Message' },
        { blockType: 'number', name: 'guests', label: 'Guests' },
        { blockType: 'select', name: 'topic', label: 'Topic', options: [{ label: 'Press', value: 'press' }, { label: 'Other', value: 'other' }] },
        { blockType: 'checkbox', name: 'consent', label: 'Consent', required: true },
        { blockType: 'country', name: 'country', label: 'Country' },
      ],
    },
  })
  expect([created.status, created.body.errors]).toEqual([201, undefined])
  richForm = created.body.doc.id
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('JSON and other non-upload bodies', () => {
  test('a body declared larger than the cap is refused with 413 before it is read', async () => {
    const before = databaseBytes()
    const res = await sendBody('/api/form-submissions', { size: 20 * 1024 * 1024, contentType: 'application/json', chunked: false, headers: fromNewAddress() })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).errors[0].message).toMatch(/1024 KB/)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(databaseBytes() - before).toBeLessThan(64 * 1024)
  })

  test('a chunked body is counted as it streams and refused once past the cap', async () => {
    const res = await sendBody('/api/form-submissions', { size: 20 * 1024 * 1024, contentType: 'application/json', chunked: true, headers: fromNewAddress() })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).errors[0].message).toMatch(/1024 KB/)
  })

  test('any content type and any route: text/plain to GraphQL, JSON to an editor route', async () => {
    const graphqlRes = await sendBody('/api/graphql', { size: 2 * 1024 * 1024, contentType: 'text/plain', chunked: true, headers: fromNewAddress() })
    expect(graphqlRes.status).toBe(413)
    const posts = await sendBody('/api/posts', {
      size: 2 * 1024 * 1024,
      contentType: 'application/json',
      chunked: false,
      headers: { authorization: adminAuth },
    })
    expect(posts.status).toBe(413)
  })

  test('a body under the cap goes through to Payload', async () => {
    const res = await api(url, '/api/posts', { method: 'POST', auth: adminAuth, body: { title: 'Under the cap', content: 'x'.repeat(200_000) } })
    // Payload's own answer (the rich text is not valid), not the cap's.
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).not.toMatch(/KB/)
  })
})

describe('uploads', () => {
  test('a multipart body over MEDIA_MAX_UPLOAD_MB is refused with 413 and a message naming the cap', async () => {
    const file = Buffer.alloc(21 * 1024 * 1024, 1)
    const form = new FormData()
    form.append('file', new Blob([file], { type: 'image/png' }), 'big.png')
    form.append('_payload', JSON.stringify({ alt: 'Too big' }))
    const res = await fetch(`${url}/api/media`, { method: 'POST', headers: { authorization: adminAuth }, body: form }).catch(
      (error: Error) => ({ status: `failed: ${error.message}`, json: async () => ({}) }),
    )
    expect(res.status).toBe(413)
    expect((await res.json()).errors[0].message).toMatch(/20 MB/)
    // The connection the refusal came on is still good for the next request.
    expect((await api(url, '/api/posts?limit=1', { auth: adminAuth })).status).toBe(200)
  })
})

describe('form submissions', () => {
  test('a submission with what the form defines is stored', async () => {
    const res = await submit({
      form: richForm,
      submissionData: [
        entry('name', 'Ada'),
        entry('email', 'ada@example.com'),
        entry('message', 'Hello'),
        entry('guests', 3),
        entry('topic', 'press'),
        entry('consent', true),
        entry('country', 'de'),
      ],
    })
    expect(res.status).toBe(201)
    expect(res.body.doc.submissionData.map((row: { value: unknown }) => row.value)).toEqual(['Ada', 'ada@example.com', 'Hello', '3', 'press', 'true', 'de'])
  })

  test.each([
    ['an unknown field', [entry('name', 'Ada'), entry('consent', true), entry('phone', '123')], /phone.*not a field of this form/],
    ['a field twice', [entry('name', 'Ada'), entry('name', 'Eve'), entry('consent', true)], /name.*more than once/],
    ['a required field missing', [entry('consent', true)], /name.*required/],
    ['a required field empty', [entry('name', '  '), entry('consent', true)], /name.*required/],
    ['a required checkbox not ticked', [entry('name', 'Ada'), entry('consent', false)], /consent.*required/],
    ['a text value too long', [entry('name', 'x'.repeat(1001)), entry('consent', true)], /name.*1000 characters/],
    ['a textarea value too long', [entry('name', 'Ada'), entry('consent', true), entry('message', 'x'.repeat(10_001))], /message.*10000 characters/],
    ['an email that is not one', [entry('name', 'Ada'), entry('consent', true), entry('email', 'not an email')], /email.*email address/],
    ['a number that is not one', [entry('name', 'Ada'), entry('consent', true), entry('guests', 'many')], /guests.*number/],
    ['a select value that is not an option', [entry('name', 'Ada'), entry('consent', true), entry('topic', 'spam')], /topic.*one of/],
    ['a checkbox that is not a boolean', [entry('name', 'Ada'), entry('consent', 'maybe')], /consent.*true or false/],
    // Refused by the check every collection's writes get (src/badInput), before the form's own.
    ['a value that is an object', [entry('name', { nested: 'x' }), entry('consent', true)], /submissionData\.0\.value must be a single value/],
    ['an entry without a field name', [{ value: 'x' }, entry('name', 'Ada'), entry('consent', true)], /field/],
  ])('refuses %s with 400 and a message', async (_, submissionData, message) => {
    const res = await submit({ form: richForm, submissionData })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body.errors)).toMatch(message)
  })

  test('refuses submissionData that is not a list', async () => {
    const res = await submit({ form: richForm, submissionData: 'x'.repeat(100) })
    expect(res.status).toBe(400)
  })

  test('the seeded contact form refuses a 900 KB message, under the body cap but over the field cap', async () => {
    const res = await submit({
      form: contactForm,
      submissionData: [entry('name', 'Ada'), entry('email', 'ada@example.com'), entry('message', 'x'.repeat(900 * 1024))],
    })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body.errors)).toMatch(/message.*10000 characters/)
  })

  test('GraphQL createFormSubmission is validated the same way', async () => {
    const refused = await api(url, '/api/graphql', {
      method: 'POST',
      headers: fromNewAddress(),
      body: {
        query: `mutation { createFormSubmission(data: { form: ${richForm}, submissionData: [{ field: "name", value: "Ada" }, { field: "consent", value: "true" }, { field: "phone", value: "123" }] }) { id } }`,
      },
    })
    expect(JSON.stringify(refused.body.errors)).toMatch(/phone.*not a field of this form/)
    expect(refused.body.data?.createFormSubmission ?? null).toBeNull()
  })
})

describe('the form submissions rate limit', () => {
  test('REST: past RATE_LIMIT_FORM_SUBMISSIONS per window, 429 with Retry-After and a message', async () => {
    const headers = fromNewAddress()
    const valid = { form: contactForm, submissionData: [entry('name', 'Ada'), entry('email', 'ada@example.com'), entry('message', 'Hi')] }
    for (let i = 0; i < 3; i++) expect((await submit(valid, headers)).status).toBe(201)
    const refused = await submit(valid, headers)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.body.errors[0].message).toMatch(/form submissions/i)
    // Reads from the same address are not affected.
    expect((await api(url, '/api/posts?limit=1', { headers })).status).toBe(200)
  })

  test('GraphQL mutations count against the same limit, each createFormSubmission once', async () => {
    const headers = fromNewAddress()
    const one = `createFormSubmission(data: { form: ${contactForm}, submissionData: [{ field: "name", value: "Ada" }, { field: "email", value: "ada@example.com" }, { field: "message", value: "Hi" }] }) { id }`
    const twice = await api(url, '/api/graphql', { method: 'POST', headers, body: { query: `mutation { a: ${one} b: ${one} }` } })
    expect(twice.status).toBe(200)
    expect(twice.body.errors).toBeUndefined()
    const rest = await submit({ form: contactForm, submissionData: [entry('name', 'Ada'), entry('email', 'ada@example.com'), entry('message', 'Hi')] }, headers)
    expect(rest.status).toBe(201)
    const refused = await api(url, '/api/graphql', { method: 'POST', headers, body: { query: `mutation { ${one} }` } })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  test('other GraphQL requests from that address are not counted', async () => {
    const headers = fromNewAddress()
    for (let i = 0; i < 5; i++) {
      const res = await api(url, '/api/graphql', { method: 'POST', headers, body: { query: '{ Posts(limit: 1) { docs { id } } }' } })
      expect(res.status).toBe(200)
    }
  })
})

