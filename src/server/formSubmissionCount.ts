import type { Request } from 'express'
import { Kind, parse, visit } from 'graphql'

/** Payload's GraphQL mutation for creating a document of the `form-submissions` collection. */
const CREATE_MUTATION = 'createFormSubmission'

const queriesOf = (body: Buffer): string[] => {
  const text = body.toString('utf8')
  if (!text.includes(CREATE_MUTATION)) return []
  try {
    const parsed: unknown = JSON.parse(text)
    const operations = Array.isArray(parsed) ? parsed : [parsed]
    return operations.flatMap((operation) =>
      operation && typeof operation === 'object' && typeof (operation as { query?: unknown }).query === 'string'
        ? [(operation as { query: string }).query]
        : [],
    )
  } catch {
    // Not JSON: Payload refuses it, nothing is created.
    return []
  }
}

const createFieldsIn = (query: string): number => {
  let count = 0
  try {
    // Every field by that name counts, in any operation or fragment: a document that cannot run
    // is refused by Payload anyway, and one that can runs each of them.
    visit(parse(query), {
      [Kind.FIELD]: (node) => {
        if (node.name.value === CREATE_MUTATION) count++
      },
    })
  } catch {
    return 0
  }
  return count
}

/**
 * How many form submissions a request asks to create: one for a POST to the collection, one per
 * createFormSubmission field of a GraphQL request (aliases let one request carry many). The
 * GraphQL body is the one readApiBodies read; a request whose body was not read creates none.
 */
export const formSubmissionsIn = (req: Request, routes: { collection: string; graphql: string }): number => {
  if (req.method !== 'POST') return 0
  // Payload routes a trailing slash to the same create.
  if (req.path.replace(/\/+$/, '') === routes.collection) return 1
  if (req.path !== routes.graphql || !Buffer.isBuffer(req.body)) return 0
  return queriesOf(req.body).reduce((sum, query) => sum + createFieldsIn(query), 0)
}
