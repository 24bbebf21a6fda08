import { createHash } from 'node:crypto'


import { mintFillToken } from '../../src/forms/spamGuard'
import { richTextFromPlain } from '../../src/seed/lexical'
import { api, login } from '../helpers/http'
import type { Json } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, freePort, startTestServer } from '../helpers/server'
import type { ReceivedMail, TestMailServer } from '../helpers/smtp'
import { startMailServer } from '../helpers/smtp'

// A page's own form, posted the way browsers and fetch() post it, through the real server; the
// emails it sends reach a real SMTP server that is down at first.

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef'
// Payload signs with a digest of PAYLOAD_SECRET (payload/dist/index.js); tokens minted here are the server's own.
const SIGNING_SECRET = createHash('sha256').update(SECRET).digest('hex').slice(0, 32)
const SITE = 'https://site.example'
const MIN_FILL_SECONDS = 3

let server: TestServer
let url: string
let adminAuth: string
let smtp: TestMailServer | undefined
let smtpPort: number
const inbox: ReceivedMail[] = []

let redirectForm: number
let pageForm: number
let messageForm: number
let mailForm: number
let pageUrl: string

let nextAddress = 1
const fromNewAddress = () => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` })
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }

/** A token issued long enough ago to pass the fill-time check. */
const oldToken = (form: number) => mintFillToken(SIGNING_SECRET, form, Date.now() - (MIN_FILL_SECONDS + 2) * 1000)

type Answer = { status: number; headers: Headers; text: string; json?: Json }

/** A form post as a page sends it, checked against the OpenAPI document like every other answer. */
const post = async (body: URLSearchParams | FormData | string, headers: Record<string, string> = {}, query = ''): Promise<Answer> => {
  const target = `${url}/api/form-submissions${query}`
  const res = await fetch(target, { method: 'POST', body, headers: { ...fromNewAddress(), ...headers }, redirect: 'manual' })
  const text = await res.text()
  await assertConformsToSpec(url, { method: 'POST', url: target, status: res.status, contentType: res.headers.get('content-type'), text })
  let json: Json | undefined
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

const fields = (form: number, values: Record<string, string>, token: string | null = oldToken(form)) =>
  new URLSearchParams({ form: String(form), ...(token ? { _started: token } : {}), ...values })

const multipart = (form: number, values: Record<string, string>, token: string | null = oldToken(form)) => {
  const data = new FormData()
  data.set('form', String(form))
  if (token) data.set('_started', token)
  for (const [name, value] of Object.entries(values)) data.set(name, value)
  return data
}

const submissionsOf = async (form: number) =>
  (await api(url, `/api/form-submissions?where[form][equals]=${form}&limit=100&depth=0&sort=-createdAt`, { auth: adminAuth })).body.docs as Json[]

const createForm = async (data: Json) => {
  const created = await api(url, '/api/forms', {
    method: 'POST',
    auth: adminAuth,
    body: {
      fields: [
        { blockType: 'text', name: 'name', label: 'Name', required: true },
        { blockType: 'email', name: 'email', label: 'Email' },
        { blockType: 'textarea', name: 'message', label: 'Message' },
      ],
      ...data,
    },
  })
  expect([created.status, created.body.errors]).toEqual([201, undefined])
  return created.body.doc.id as number
}

const startSmtp = async () => {
  smtp = await startMailServer(smtpPort, inbox)
}

beforeAll(async () => {
  // The mail server's port is known, but nothing listens there yet.
  smtpPort = await freePort()
  server = await startTestServer({
    seed: true,
    env: {
      PUBLIC_SITE_URL: SITE,
      CORS_ORIGINS: SITE,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      EMAIL_FROM_ADDRESS: 'cms@greenroom.test',
      JOBS_AUTORUN: 'true',
      FORM_EMAILS_CRON: '* * * * * *',
      FORM_EMAIL_FIRST_RETRY_SECONDS: '1',
      FORM_MIN_FILL_SECONDS: String(MIN_FILL_SECONDS),
      RATE_LIMIT_FORM_SUBMISSIONS: '5',
    },
  })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  const page = (await api(url, '/api/pages?limit=1&depth=0&where[slug][not_equals]=home', { auth: adminAuth })).body.docs[0]
  // The page's address under the site's URL scheme, as the API answers it.
  pageUrl = `${SITE}${page.path}`
  redirectForm = await createForm({
    title: 'Custom redirect',
    confirmationType: 'redirect',
    redirect: { type: 'custom', url: 'https://elsewhere.example/thanks?from=form' },
  })
  pageForm = await createForm({
    title: 'Page redirect',
    confirmationType: 'redirect',
    redirect: { type: 'reference', reference: { relationTo: 'pages', value: page.id } },
  })
  messageForm = await createForm({
    title: 'Message <form>',
    confirmationType: 'message',
    confirmationMessage: richTextFromPlain('Thanks <script>alert(1)</script>, we read everything.'),
  })
  mailForm = await createForm({
    title: 'Mailed',
    confirmationType: 'message',
    confirmationMessage: richTextFromPlain('Sent.'),
    emails: [
      {
        emailTo: 'team@site.test',
        emailFrom: 'forms@site.test',
        subject: 'Message from {{name}}',
        message: richTextFromPlain('{{name}} wrote: {{message}}'),
      },
    ],
  })
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await smtp?.close()
})

describe('a page’s own form post', () => {
  test('urlencoded from a browser: stored through Payload, then 303 to the form’s custom redirect', async () => {
    const res = await post(fields(redirectForm, { name: 'Ada', email: 'ada@example.com', message: 'Hello' }), BROWSER)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('https://elsewhere.example/thanks?from=form')
    const [stored] = await submissionsOf(redirectForm)
    expect(stored.submissionData.map(({ field, value }: Json) => [field, value])).toEqual([
      ['name', 'Ada'],
      ['email', 'ada@example.com'],
      ['message', 'Hello'],
    ])
  })

  test('multipart from a browser: 303 to the referenced page’s URL on the site', async () => {
    const res = await post(multipart(pageForm, { name: 'Grace' }), BROWSER)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(pageUrl)
    expect((await submissionsOf(pageForm))[0].submissionData[0]).toMatchObject({ field: 'name', value: 'Grace' })
    // Sent from the German page: back to the German page.
    const german = await post(multipart(pageForm, { name: 'Greta' }), BROWSER, '?locale=de')
    expect([german.status, german.headers.get('location')]).toEqual([303, pageUrl.replace(SITE, `${SITE}/de`)])
  })

  test('a form whose confirmation is a message answers with that message as an escaped page', async () => {
    const res = await post(fields(messageForm, { name: 'Linus' }), { ...BROWSER, referer: 'https://site.example/contact' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.text).toContain('Thanks &lt;script&gt;alert(1)&lt;/script&gt;, we read everything.')
    expect(res.text).toContain('<title>Message &lt;form&gt;</title>')
    expect(res.text).toContain('href="https://site.example/contact"')
    expect(res.text).not.toContain('<script>')
  })

  test('fetch() with FormData (no text/html in Accept) gets Payload’s JSON 201', async () => {
    const res = await post(multipart(redirectForm, { name: 'Fetch' }), { accept: 'application/json' })
    expect(res.status).toBe(201)
    expect(res.json?.doc.submissionData[0]).toMatchObject({ field: 'name', value: 'Fetch' })
  })

  test('JSON clients are answered as before: 201 with the document', async () => {
    const res = await api(url, '/api/form-submissions', {
      method: 'POST',
      headers: fromNewAddress(),
      body: { form: redirectForm, _started: oldToken(redirectForm), submissionData: [{ field: 'name', value: 'Json' }] },
    })
    expect(res.status).toBe(201)
    expect(res.body.doc.submissionData).toEqual([expect.objectContaining({ field: 'name', value: 'Json' })])
  })
})

describe('the spam guard', () => {
  test('a filled honeypot gets the same 303, and nothing is stored', async () => {
    const before = (await submissionsOf(redirectForm)).length
    const res = await post(fields(redirectForm, { name: 'Bot', _gotcha: 'http://spam.example' }), BROWSER)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('https://elsewhere.example/thanks?from=form')
    const json = await api(url, '/api/form-submissions', {
      method: 'POST',
      headers: fromNewAddress(),
      body: { form: redirectForm, _gotcha: 'x', _started: oldToken(redirectForm), submissionData: [{ field: 'name', value: 'Bot' }] },
    })
    expect(json.status).toBe(201)
    expect(json.body).toEqual({ message: 'Form Submission successfully created.' })
    const fromSite = await post(multipart(redirectForm, { name: 'Bot', _gotcha: 'x' }), { origin: SITE })
    expect([fromSite.status, fromSite.headers.get('access-control-allow-origin')]).toEqual([201, SITE])
    expect((await submissionsOf(redirectForm)).length).toBe(before)
  })

  test('the token endpoint gives a fresh, uncached token; sent too soon it is refused, later it passes', async () => {
    const first = await api(url, `/api/forms/${redirectForm}/token`)
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.body).toMatchObject({ field: '_started', minFillSeconds: MIN_FILL_SECONDS })
    const again = await api(url, `/api/forms/${redirectForm}/token`)
    expect(again.headers.get('cache-status') ?? '').not.toMatch(/hit/)

    const tooSoon = await post(fields(redirectForm, { name: 'Quick' }, first.body.token), BROWSER)
    expect(tooSoon.status).toBe(400)
    expect(tooSoon.headers.get('content-type')).toMatch(/^text\/html/)
    expect(tooSoon.text).toMatch(/too quickly/)

    await new Promise((resolve) => setTimeout(resolve, (MIN_FILL_SECONDS + 1) * 1000))
    const later = await post(fields(redirectForm, { name: 'Patient' }, first.body.token), BROWSER)
    expect(later.status).toBe(303)
    expect((await api(url, '/api/forms/999999/token')).status).toBe(404)
  }, 20_000)

  test('a missing, forged or another form’s token is refused', async () => {
    // A script on the site (CORS_ORIGINS) can read the refusal.
    const missing = await post(fields(redirectForm, { name: 'No token' }, null), { origin: SITE })
    expect(missing.status).toBe(400)
    expect(missing.json?.errors[0].message).toMatch(/_started/)
    expect(missing.headers.get('access-control-allow-origin')).toBe(SITE)
    const forged = `${Math.floor(Date.now() / 1000) - 60}.${'A'.repeat(43)}`
    expect((await post(fields(redirectForm, { name: 'Forged' }, forged))).status).toBe(400)
    expect((await post(fields(redirectForm, { name: 'Moved' }, oldToken(pageForm)))).status).toBe(400)
    const json = await api(url, '/api/form-submissions', {
      method: 'POST',
      headers: fromNewAddress(),
      body: { form: redirectForm, submissionData: [{ field: 'name', value: 'No token' }] },
    })
    expect(json.status).toBe(400)
    // The admin panel's multipart, the document in `_payload`, is held to the same guard.
    const payloadPart = (extra: Json) => {
      const data = new FormData()
      data.set('_payload', JSON.stringify({ form: redirectForm, submissionData: [{ field: 'name', value: 'Part' }], ...extra }))
      return data
    }
    expect((await post(payloadPart({}))).status).toBe(400)
    const withToken = await post(payloadPart({ _started: oldToken(redirectForm) }))
    expect([withToken.status, withToken.json?.doc?.submissionData?.[0]?.value]).toEqual([201, 'Part'])
  })

  test('GraphQL, which has no place for a token, cannot go around it', async () => {
    const res = await fetch(`${url}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...fromNewAddress() },
      body: JSON.stringify({
        query: `mutation { createFormSubmission(data: { form: ${redirectForm}, submissionData: [{ field: "name", value: "Gql" }] }) { id } }`,
      }),
    })
    const body = await res.json()
    expect(body.data?.createFormSubmission ?? null).toBeNull()
    expect(JSON.stringify(body.errors)).toMatch(/_started/)
  })

  test('form posts count against the per-client form-submission limit', async () => {
    const address = fromNewAddress()
    const statuses: number[] = []
    for (let k = 0; k < 6; k++) statuses.push((await post(fields(redirectForm, { name: `Burst ${k}` }), { ...BROWSER, ...address })).status)
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429])
  })
})

describe('bad input is a 4xx, never a 500', () => {
  test.each([
    ['an unknown form', () => fields(987654, { name: 'X' }), /form does not exist/],
    ['no form id', () => new URLSearchParams({ name: 'X' }), /"form"/],
    ['a missing required field', () => fields(redirectForm, { email: 'a@example.com' }), /"name" is required/],
    ['a value of the wrong kind', () => fields(redirectForm, { name: 'X', email: 'not-an-address' }), /"email" must be an email address/],
    ['a field the form does not have', () => fields(redirectForm, { name: 'X', extra: 'y' }), /"extra" is not a field of this form/],
    ['a field sent twice', () => new URLSearchParams(`${fields(redirectForm, { name: 'X' })}&name=Y`), /more than once/],
    [
      'too many fields',
      () => new URLSearchParams(`${fields(redirectForm, { name: 'X' })}&${Array.from({ length: 200 }, (_, k) => `f${k}=v`).join('&')}`),
      /more than 200 fields/,
    ],
  ])('%s: 400, as JSON for a script and as a page for a browser', async (_, body, message) => {
    const json = await post(body())
    expect(json.status).toBe(400)
    const messages = (json.json?.errors as Json[]).flatMap((error) => [error.message, ...(error.data?.errors ?? []).map((detail: Json) => detail.message)])
    expect(messages.join('\n')).toMatch(message)
    const page = await post(body(), BROWSER)
    expect(page.status).toBe(400)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.text.replace(/&quot;/g, '"')).toMatch(message)
  })

  test('a file in a form post is refused', async () => {
    const data = multipart(redirectForm, { name: 'X' })
    data.set('attachment', new Blob(['hello']), 'hello.txt')
    const res = await post(data)
    expect(res.status).toBe(400)
    expect(res.json?.errors[0].message).toMatch(/file/)
  })

  test('multipart without a boundary, and a body over the limit', async () => {
    const noBoundary = await post('form=1', { 'content-type': 'multipart/form-data' })
    expect(noBoundary.status).toBe(400)
    const big = await post(fields(redirectForm, { name: 'X', message: 'x'.repeat(1100 * 1024) }))
    expect(big.status).toBe(413)
    const bigMultipart = await post(multipart(redirectForm, { name: 'X', message: 'x'.repeat(1100 * 1024) }))
    expect(bigMultipart.status).toBe(413)
  })
})

describe('emails', () => {
  test('go out after the submission, from the jobs queue, and are retried until the mail server answers', async () => {
    const res = await post(fields(mailForm, { name: 'Mallory <b>', message: 'Is anyone there?' }), BROWSER)
    expect(res.status).toBe(200)
    // Nothing listens yet: the first attempt fails (the runner looks every second) and is logged.
    const failures = () => server.output().split('ECONNREFUSED').length - 1
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && failures() === 0) await new Promise((resolve) => setTimeout(resolve, 250))
    expect(failures()).toBeGreaterThanOrEqual(1)
    expect(inbox).toHaveLength(0)

    await startSmtp()
    const until = Date.now() + 30_000
    while (Date.now() < until && inbox.length === 0) await new Promise((resolve) => setTimeout(resolve, 200))
    expect(inbox).toHaveLength(1)
    const [mail] = inbox
    expect(mail.to).toEqual(['team@site.test'])
    const unfolded = mail.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
    expect(unfolded).toMatch(/Subject: Message from Mallory &lt;b&gt;|Subject: =\?UTF-8\?/)
    expect(unfolded).toContain('Mallory &lt;b&gt; wrote: Is anyone there?')
    // Sent once: the job is done and tries no more.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(inbox).toHaveLength(1)
  }, 60_000)
})
