import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'
import { APIError } from 'payload'

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Plugins' endpoints (plugin-search's reindex, plugin-seo's generate-*) read `await req.json()` and
 * destructure it, so a body of `null`, `[]` or `"x"` throws a TypeError (500); and they answer their
 * own 4xx as `{"message":…}` or plain text instead of Payload's `{"errors":[{"message":…}]}`. This
 * wraps an endpoint's handler: the body it reads must be a JSON object, and a 4xx it answers is given
 * the error shape, its message kept.
 */
const wrap =
  (handler: PayloadHandler): PayloadHandler =>
  async (req: PayloadRequest) => {
    const readJson = req.json?.bind(req)
    if (readJson) {
      req.json = async () => {
        const body: unknown = await readJson()
        if (!isPlainObject(body)) throw new APIError('The body must be a JSON object.', 400, undefined, true)
        return body
      }
    }
    const response = await handler(req)
    if (response.status < 400 || response.status >= 500) return response
    const text = await response.clone().text()
    let message = text
    try {
      const body = JSON.parse(text) as { errors?: unknown; message?: unknown }
      if (Array.isArray(body?.errors)) return response
      if (typeof body?.message === 'string') message = body.message
    } catch {
      // plain text: the text is the message
    }
    const headers = new Headers(response.headers)
    headers.set('content-type', 'application/json')
    headers.delete('content-length')
    return new Response(JSON.stringify({ errors: [{ message: message || `Request refused (${response.status}).` }] }), {
      status: response.status,
      headers,
    })
  }

export const inErrorShape = (endpoints: Endpoint[] | false | undefined): Endpoint[] | false | undefined =>
  Array.isArray(endpoints) ? endpoints.map((endpoint) => ({ ...endpoint, handler: wrap(endpoint.handler) })) : endpoints
