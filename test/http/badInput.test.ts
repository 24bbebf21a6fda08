// Issue 11, finding 7: input the server cannot use is answered with a 4xx in Payload's error shape
// (`{"errors":[{"message":"…"}]}`) and logged as a one-line warning, never a 500 with a stack.
import http from 'node:http'

import type { ApiResponse } from '../helpers/http'
import { api, login } from '../helpers/http'
import { assertConformsToSpec } from '../helpers/openapi'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, startTestServer } from '../helpers/server'

let server: TestServer
let url: string
let adminAuth: string
let postId: number

beforeAll(async () => {
  server = await startTestServer({ seed: true, env: { LOG_LEVEL: 'warn' } })
  url = server.url
  adminAuth = await login(url, TEST_ADMIN.email, TEST_ADMIN.password)
  postId = (await api(url, '/api/posts?limit=1')).body.docs[0].id
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** Any method, any body, through node:http (fetch refuses TRACE); the answer is checked against the spec when it documents the method. */
const send = (
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<ApiResponse & { text: string }> =>
  new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: Record<string, any> = {}
        try {
          parsed = text ? JSON.parse(text) : {}
        } catch {
          parsed = { raw: text }
        }
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value)
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text })
      })
    })
    request.on('error', reject)
    request.end(body)
  })

/** What the server logged while `run` ran (and a moment after: the log line follows the answer). */
const logDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; log: string }> => {
  const before = server.output().length
  const result = await run()
  await new Promise((resolve) => setTimeout(resolve, 150))
  return { result, log: server.output().slice(before) }
}

/** A 4xx in the error shape, with a message, logged as a warning without a stack. */
const expectRefused = async (
  run: () => Promise<ApiResponse & { text?: string }>,
  status: number | number[],
  message?: RegExp,
) => {
  const { result, log } = await logDuring(run)
  const statuses = Array.isArray(status) ? status : [status]
  if (!statuses.includes(result.status)) throw new Error(`answered ${result.status}, expected ${statuses.join(' or ')}: ${JSON.stringify(result.body).slice(0, 300)}`)
  expect(result.headers.get('content-type')).toMatch(/^application\/json/)
  expect(result.body.errors).toEqual([expect.objectContaining({ message: expect.any(String) })])
  expect(result.body.errors[0].message.length).toBeGreaterThan(0)
  if (message) expect(result.body.errors[0].message).toMatch(message)
  expect(log).not.toMatch(/ERROR|"stack"|\n\s+at /)
  return result
}

const multipartWithBadFileName = () => {
  const boundary = '----greenroom-fuzz'
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body:
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a\u0001b.png"\r\n` +
      `Content-Type: image/png\r\n\r\nnot a png\r\n--${boundary}--\r\n`,
  }
}

describe('ids that are not ids', () => {
  test.each(['abc', 'null', '1.5', '-1', '1e21'])('GET /api/posts/%s answers 404', async (id) => {
    await expectRefused(() => api(url, `/api/posts/${id}`), 404)
  })

  test('a missing upload file answers 404', async () => {
    await expectRefused(() => api(url, '/api/media/file/doesnotexist.png'), 404, /doesnotexist\.png/)
  })

  test('as an admin: duplicate, restore a version, update and delete a document that is not there', async () => {
    await expectRefused(() => api(url, '/api/posts/abc/duplicate', { method: 'POST', auth: adminAuth }), 404)
    await expectRefused(() => api(url, '/api/posts/versions/abc', { method: 'POST', auth: adminAuth }), [400, 404])
    await expectRefused(() => api(url, '/api/posts/abc', { method: 'PATCH', auth: adminAuth, body: { title: 'x' } }), 404)
    await expectRefused(() => api(url, '/api/posts/abc', { method: 'DELETE', auth: adminAuth }), 404)
  })
})

describe('queries the database cannot run', () => {
  test.each([
    ['where=abc', /JSON/],
    ['where[title][near]=1', /point/],
    ['where[publishedAt][equals]=notadate', /not a date/],
    ['where[populatedAuthors.name][like]=a', /cannot be queried/],
    ['where[id][in]=abc', /not an id/],
    ['where[heroImage][equals]=abc', /not an id/],
    ['where[readingTime][greater_than]=many', /not a number/],
    ['where[title]=x', /operator/],
  ])('GET /api/posts?%s answers 400', async (query, message) => {
    await expectRefused(() => api(url, `/api/posts?${query}`), 400, message)
  })

  test('bulk update and delete with a where that cannot run answer 400, as an admin', async () => {
    await expectRefused(
      () => api(url, '/api/posts?where[id][in]=abc', { method: 'DELETE', auth: adminAuth }),
      400,
    )
    await expectRefused(
      () => api(url, '/api/posts?where[publishedAt][less_than]=soon', { method: 'PATCH', auth: adminAuth, body: { title: 'x' } }),
      400,
    )
    // Nothing was written.
    expect((await api(url, `/api/posts/${postId}`)).body.title).not.toBe('x')
  })

  test('valid queries still run', async () => {
    for (const query of [
      'where[publishedAt][less_than]=2100-01-01',
      `where[id][in]=${postId},${postId + 1000}`,
      'where[readingTime][greater_than]=0',
      'where[heroImage][exists]=true',
      'where[or][0][title][like]=a&where[or][1][slug][equals]=x',
      'where[heroImage][equals]=null',
    ]) {
      const res = await api(url, `/api/posts?${query}`)
      expect({ query, status: res.status }).toEqual({ query, status: 200 })
    }
  })
})

describe('bodies that are not documents', () => {
  test.each(['/api/posts', '/api/categories', '/api/form-submissions', '/api/search/reindex'])(
    'POST %s with no body answers 400',
    async (path) => {
      await expectRefused(() => send('POST', path, { headers: { authorization: adminAuth } }).then(check('POST', path)), 400)
    },
  )

  test('a text/plain body answers 400 and says what to send', async () => {
    await expectRefused(
      () => send('POST', '/api/form-submissions', { headers: { 'content-type': 'text/plain' }, body: 'hello' }).then(check('POST', '/api/form-submissions')),
      400,
      /application\/json/,
    )
  })

  test('a JSON array instead of a document answers 400', async () => {
    await expectRefused(() => api(url, '/api/categories', { method: 'POST', auth: adminAuth, body: [] }), 400)
  })

  test.each(['/api/users/login', '/api/form-submissions', '/api/media', '/api/posts'])(
    'malformed multipart (a control character in a file name) on POST %s answers 400',
    async (path) => {
      const { headers, body } = multipartWithBadFileName()
      await expectRefused(
        () => send('POST', path, { headers: { ...headers, authorization: adminAuth }, body }).then(check('POST', path)),
        400,
        /multipart/,
      )
    },
  )

  test('JSON nested 100,000 levels answers 4xx', async () => {
    const body = '['.repeat(100_000) + ']'.repeat(100_000)
    const { result } = await logDuring(() =>
      send('POST', '/api/form-submissions', { headers: { 'content-type': 'application/json' }, body }).then(check('POST', '/api/form-submissions')),
    )
    expect(result.status).toBeGreaterThanOrEqual(400)
    expect(result.status).toBeLessThan(500)
    expect(result.body.errors[0].message).toEqual(expect.any(String))
  })

  test('a pasted-URL upload to a blocked (private) address answers 400 and says why', async () => {
    await expectRefused(
      () =>
        api(url, '/api/media', {
          method: 'POST',
          auth: adminAuth,
          body: { alt: 'x', filename: 'x.png', url: 'http://127.0.0.1:1/x.png' },
        }),
      400,
      /private or internal address/,
    )
  })
})

describe('found by the fuzzer (test/fuzz)', () => {
  test('an unknown route answers 404 in the error shape, not {"message"}', async () => {
    const res = await send('PUT', '/api/plugin-seo/generate-description', { headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(404)
    expect(res.body.errors[0].message).toMatch(/Route not found/)
  })

  test('a JSON value that is not an object, as the body of a duplicate or a global update, answers 400', async () => {
    await expectRefused(() => api(url, `/api/posts/${postId}/duplicate`, { method: 'POST', auth: adminAuth, body: 9007199254740992 }), 400)
    await expectRefused(() => send('POST', '/api/globals/header', { headers: { authorization: adminAuth } }).then(check('POST', '/api/globals/header')), 400)
  })

  test('an array for a text field answers 400 instead of failing in the database', async () => {
    const media = (await api(url, '/api/media?limit=1', { auth: adminAuth })).body.docs[0]
    await expectRefused(() => api(url, `/api/media/${media.id}`, { method: 'PATCH', auth: adminAuth, body: { caption: [] } }), 400, /caption/)
  })

  test('a rich text document whose nodes are not objects answers 400', async () => {
    await expectRefused(
      () => api(url, '/api/pages', { method: 'POST', auth: adminAuth, body: { title: 'x', hero: { richText: { root: { children: [0] } } } } }),
      400,
      /hero\.richText/,
    )
  })

  test('malformed multipart to GraphQL answers 400 in JSON, not an HTML 500', async () => {
    const { headers, body } = multipartWithBadFileName()
    const res = await send('POST', '/api/graphql', { headers, body })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toMatch(/multipart/)
  })

  test('like with a list, a date out of range, a relationship that is no id answer 400', async () => {
    await expectRefused(() => api(url, '/api/users/count?where[email][like][0]=a', { auth: adminAuth }), 400, /one value/)
    await expectRefused(() => api(url, '/api/globals/header', { method: 'POST', auth: adminAuth, body: { createdAt: 1.7976931348623157e308 } }), 400, /createdAt must be a date/)
    await expectRefused(() => api(url, '/api/categories', { method: 'POST', auth: adminAuth, body: { title: 'x', parent: -5e-324 } }), 400, /parent must be the id/)
  })

  test('an id of Infinity where Payload reads it without hooks (document access) answers 400', async () => {
    await expectRefused(() => api(url, '/api/pages/access/Infinity', { method: 'POST', body: { '': {} } }), 400, /not finite/)
  })

  test('a file name no file can have answers 404', async () => {
    await expectRefused(() => api(url, '/api/media/file/%00'), 404)
  })

  test('a URL longer than Node reads answers 431 in the error shape', async () => {
    const res = await send('GET', `/api/posts?where[title][equals]=${'a'.repeat(20_000)}`)
    expect(res.status).toBe(431)
    expect(res.body.errors[0].message).toMatch(/too large/)
  })

  test('GraphQL without a body answers 415 in the error shape', async () => {
    const res = await send('POST', '/api/graphql')
    expect(res.status).toBe(415)
    expect(res.body.errors[0].message).toEqual(expect.any(String))
  })

  test.each(['/api/form-submissions', '/api/posts'])('multipart without a boundary on POST %s answers 400', async (path) => {
    const { body } = multipartWithBadFileName()
    await expectRefused(
      () => send('POST', path, { headers: { 'content-type': 'multipart/form-data', authorization: adminAuth }, body }).then(check('POST', path)),
      400,
      /boundary/,
    )
  })

  test.each(['/api/form-submissions', '/api/posts', '/api/categories'])(
    'a file without a "_payload" part on POST %s, which takes no files, answers 400',
    async (path) => {
      const boundary = '----greenroom-file-only'
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n` +
        `Content-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`
      const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: adminAuth }
      // Form submissions are read as a page's form post (src/forms/formPosts.ts), which takes no files at all.
      await expectRefused(() => send('POST', path, { headers, body }).then(check('POST', path)), 400, path === '/api/form-submissions' ? /takes? no files/ : /no document/)
    },
  )

  test('multipart with an empty boundary answers 400', async () => {
    const { body } = multipartWithBadFileName()
    await expectRefused(
      () => send('POST', '/api/users/login', { headers: { 'content-type': 'multipart/form-data; boundary=' }, body }).then(check('POST', '/api/users/login')),
      400,
    )
  })

  test('plugin-search answers a body that is not an object with 400, and its own refusal in the error shape', async () => {
    await expectRefused(() => api(url, '/api/search/reindex', { method: 'POST', auth: adminAuth, body: null }), 400)
    // Nobody may write search rows (src/plugins/index.ts), so the plugin refuses everyone, as {"message"} of its own.
    const refused = await api(url, '/api/search/reindex', { method: 'POST', auth: adminAuth, body: { collections: ['posts'] } })
    expect(refused.status).toBe(401)
    expect(refused.body.errors[0].message).toEqual(expect.any(String))
  })
})

describe('methods', () => {
  test('TRACE /api/posts answers 405 in JSON with Allow', async () => {
    const res = await expectRefused(() => send('TRACE', '/api/posts'), 405, /TRACE/)
    expect(res.headers.get('allow')).toMatch(/GET/)
  })
})

/** Checks a node:http answer against the spec, as api() does for fetch. */
const check =
  (method: string, path: string) =>
  async <T extends { status: number; headers: Headers; text: string }>(res: T): Promise<T> => {
    await assertConformsToSpec(url, { method, url: `${url}${path}`, status: res.status, contentType: res.headers.get('content-type'), text: res.text })
    return res
  }
