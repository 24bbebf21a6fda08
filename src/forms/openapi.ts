import type { Paths } from '../openapi/paths'
import type { JsonSchema } from '../openapi/schemaFixes'
import { TOKEN_FIELD } from './spamGuard'

const errorJson = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
const page = { 'text/html': { schema: { type: 'string' } } }

/**
 * POST /api/form-submissions as src/forms/formPosts.ts answers it: besides Payload's JSON, a page's
 * own form post (urlencoded or multipart) and the answers a browser gets.
 */
export const documentFormPosts = (
  paths: Paths,
  api: string,
  honeypotField: string,
  requestBodies: Record<string, JsonSchema> = {},
) => {
  const operation = paths[`${api}/form-submissions`]?.post as JsonSchema | undefined
  if (!operation) return
  const formFields: JsonSchema = {
    type: 'object',
    description:
      `The form's field names and values, \`form\` (the form's id), the honeypot \`${honeypotField}\` (left empty) and, ` +
      `when FORM_MIN_FILL_SECONDS is set, \`${TOKEN_FIELD}\` (from GET /api/forms/{id}/token).`,
    properties: { form: { type: 'string' }, [honeypotField]: { type: 'string' }, [TOKEN_FIELD]: { type: 'string' } },
    required: ['form'],
    additionalProperties: { type: 'string' },
  }
  operation.description =
    "Takes Payload's JSON document, or a page's own `<form method=\"post\">` (urlencoded or multipart). A browser's post " +
    '(`Accept: text/html`) is answered with a 303 to the form\'s confirmation URL, or the confirmation message as a page; ' +
    'what was wrong, as a page with the same 4xx status. A filled honeypot is answered like a success and stores nothing.'
  operation.requestBody = {
    required: true,
    content: {
      ...(requestBodies[String((operation.requestBody as JsonSchema).$ref ?? '').split('/').pop()!]?.content ??
        (operation.requestBody as JsonSchema).content),
      'application/x-www-form-urlencoded': { schema: formFields },
      'multipart/form-data': { schema: formFields },
    },
  }
  const responses = operation.responses as Record<string, JsonSchema>
  const created = responses[201].content['application/json'].schema
  responses[201] = {
    description: 'Created; `doc` is missing when the honeypot was filled (nothing was stored)',
    content: {
      'application/json': {
        schema: {
          oneOf: [
            created,
            { type: 'object', properties: { message: { type: 'string' } }, required: ['message'], additionalProperties: false },
          ],
        },
      },
    },
  }
  responses[200] = { description: "A browser's post to a form whose confirmation is a message: the message as a page", content: page }
  responses[303] = {
    description: "A browser's post was accepted: the form's confirmation URL",
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  }
  for (const status of ['400', '403', '409']) {
    responses[status] = { description: 'Refused; a browser gets a page saying why', content: { ...errorJson, ...page } }
  }
}
