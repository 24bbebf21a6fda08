import { assertConformsToSpec } from './openapi'

export type Json = Record<string, any>

export type ApiResponse = { status: number; headers: Headers; body: Json }

/**
 * A small fetch wrapper: JSON in, JSON out, never throws on an HTTP status. Every answer is checked
 * against the server's OpenAPI document: one that does not conform fails the test that made the request.
 */
export const api = async (
  base: string,
  path: string,
  {
    method = 'GET',
    auth,
    body,
    headers = {},
  }: { method?: string; auth?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(auth ? { authorization: auth } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  const exchange = {
    method,
    url: `${base}${path}`,
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
  }
  await assertConformsToSpec(base, exchange)
  let parsed: Json
  try {
    parsed = text ? JSON.parse(text) : {}
  } catch {
    parsed = { raw: text }
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

export const login = async (base: string, email: string, password: string): Promise<string> => {
  const res = await api(base, '/api/users/login', { method: 'POST', body: { email, password } })
  if (res.status !== 200 || !res.body.token) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return `JWT ${res.body.token}`
}

export const graphql = (base: string, query: string, variables: Json = {}, auth?: string) =>
  api(base, '/api/graphql', { method: 'POST', body: { query, variables }, auth })

/**
 * An absolute URL from an answer (media URLs are on PUBLIC_SERVER_URL, by default http://localhost:PORT), fetched
 * from the test's server: the same path on the address the test reached it at.
 */
export const servedAt = (url: string, absolute: string): string => {
  const parsed = new URL(absolute)
  if (parsed.port !== new URL(url).port) throw new Error(`${absolute} is not on the server at ${url}`)
  return `${url}${parsed.pathname}${parsed.search}`
}
