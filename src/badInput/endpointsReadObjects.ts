import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'
import { APIError } from 'payload'

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Plugins' endpoints (plugin-search's reindex, plugin-seo's generate-*) read `await req.json()` and
 * destructure it, so a body of `null`, `[]` or `42` throws a TypeError (500). Wrapped, the body they
 * read must be a JSON object, or the request is refused with a 400 first. (Their answers are put in
 * the error shape by src/server/payloadApi.ts, with every other answer of Payload's REST handler.)
 */
const readsObjects =
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
    return handler(req)
  }

export const endpointsReadObjects = (endpoints: Endpoint[] | false | undefined): Endpoint[] | false | undefined =>
  Array.isArray(endpoints) ? endpoints.map((endpoint) => ({ ...endpoint, handler: readsObjects(endpoint.handler) })) : endpoints
