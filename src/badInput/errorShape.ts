/**
 * Payload's REST handler answers some 4xx in shapes of its own: `{"message":"Route not found …"}` for
 * an unknown route, `{"message":…}` or plain text from plugin endpoints (plugin-search's reindex,
 * plugin-seo), an empty body from GraphQL's 415. Clients get one shape for every error, Payload's `{"errors":[{"message":…}]}`: this
 * rewrites a 4xx that is in another, keeping its status, headers and message.
 */
export const inErrorShape = async (response: Response): Promise<Response> => {
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
  await response.body?.cancel()
  const headers = new Headers(response.headers)
  headers.set('content-type', 'application/json')
  headers.delete('content-length')
  return new Response(JSON.stringify({ errors: [{ message: message.trim() || `${response.statusText || 'Request refused'} (${response.status}).` }] }), {
    status: response.status,
    headers,
  })
}
