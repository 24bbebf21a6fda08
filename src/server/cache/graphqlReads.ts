import type { ASTNode, DocumentNode } from 'graphql'
import { Kind, parse, visit } from 'graphql'

/**
 * GraphQL bodies up to this size, sent with a Content-Length, are stored with their answers and
 * found again by their body; larger ones, and bodies of unknown length, go to Payload unstored.
 */
export const GRAPHQL_BODY_STORE_BYTES = 64 * 1024

/** A GraphQL request as graphql-http takes it from a JSON body. */
type GraphqlRequestBody = { query?: unknown; variables?: unknown; operationName?: unknown }

const parseQuery = (query: string): DocumentNode | undefined => {
  try {
    return parse(query, { noLocation: true })
  } catch {
    return undefined
  }
}

/** Payload's `draft` argument: a reader's drafts are never stored, as with REST's ?draft=true. */
const asksForDrafts = (document: ASTNode) => {
  let drafts = false
  visit(document, {
    Argument(node) {
      if (node.name.value === 'draft') drafts = true
    },
  })
  return drafts
}

/**
 * Whether a GraphQL request body only reads and may share a stored answer with the same body: it
 * parses, every operation in it is a query (no mutation, no subscription) and none asks for
 * drafts. Anything else, including a body graphql-http would refuse, is left to Payload unstored.
 */
export const isStorableGraphqlRead = (body: Buffer): boolean => {
  let request: GraphqlRequestBody
  try {
    request = JSON.parse(body.toString('utf8')) as GraphqlRequestBody
  } catch {
    return false
  }
  if (typeof request !== 'object' || request === null || typeof request.query !== 'string') return false
  const document = parseQuery(request.query)
  if (!document) return false
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
  return operations.length > 0 && operations.every(({ operation }) => operation === 'query') && !asksForDrafts(document)
}

/** GraphQL answers with errors (access denied, a failed resolver, an outage) are never stored. */
export const hasGraphqlErrors = (body: Buffer): boolean => {
  try {
    const answer = JSON.parse(body.toString('utf8')) as { errors?: unknown }
    return answer === null || typeof answer !== 'object' || answer.errors !== undefined
  } catch {
    return true
  }
}
