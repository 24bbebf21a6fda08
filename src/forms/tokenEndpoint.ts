import type { Endpoint } from 'payload'

import type { FormSettings } from './settings'
import { TOKEN_FIELD, TOKEN_MAX_AGE_SECONDS, mintFillToken } from './spamGuard'

const errorSchema = { $ref: '#/components/schemas/Error' }

/**
 * GET /api/forms/{id}/token: a fill-time token for a page that has just opened the form. A static
 * page cannot have one from its build (the time would be the build's), so its script asks when the
 * page loads and puts the token into the form's `_started` field. Never stored or cached: each
 * answer carries the time it was asked.
 */
export const formTokenEndpoint = (settings: FormSettings): Endpoint => ({
  path: '/:id/token',
  method: 'get',
  handler: async (req) => {
    const id = String(req.routeParams?.id ?? '')
    const form = await req.payload
      .findByID({ collection: 'forms', id, depth: 0, overrideAccess: false, req, select: { title: true }, disableErrors: true })
      .catch(() => null)
    if (!form) return Response.json({ errors: [{ message: 'There is no such form.' }] }, { status: 404 })
    return Response.json(
      { field: TOKEN_FIELD, token: mintFillToken(req.payload.secret, form.id), minFillSeconds: settings.minFillSeconds },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  },
  custom: {
    openapi: {
      operationId: 'formFillToken',
      summary: 'A fill-time token for a form, for its `_started` field',
      description:
        `Signed with the server's secret and bound to the form; a submission must carry it when \`FORM_MIN_FILL_SECONDS\` is set, ` +
        `at least that many seconds and at most ${TOKEN_MAX_AGE_SECONDS / 3600} hours after it was issued. Never cached.`,
      tags: ['Forms'],
      security: [{}],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: ['integer', 'string'] } }],
      responses: {
        200: {
          description: 'A new token',
          headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  field: { type: 'string', const: TOKEN_FIELD },
                  token: { type: 'string' },
                  minFillSeconds: { type: 'integer', minimum: 0 },
                },
                required: ['field', 'token', 'minFillSeconds'],
              },
            },
          },
        },
        404: { description: 'No such form', content: { 'application/json': { schema: errorSchema } } },
      },
    },
  },
})
