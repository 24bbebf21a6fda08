import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit'
import type { DocumentNode, GraphQLCompositeType, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql'
import { buildSchema, getOperationAST, GraphQLError, Kind, NoFragmentCyclesRule, parse, validate } from 'graphql'
import { createComplexityRule, fieldExtensionsEstimator, simpleEstimator } from 'graphql-query-complexity'
import type { ComplexityEstimator } from 'graphql-query-complexity'
import { LRUCache } from 'lru-cache'

import { wholeNumberFromEnv } from '../env'

/** What one GraphQL request may ask for; each is a setting (README, "Settings"). */
export type GraphqlLimits = {
  /** Selections nested below the root field (the root field is level 0). */
  maxDepth: number
  maxAliases: number
  /** Root fields per operation: each one is a Payload operation of its own. */
  maxRootFields: number
  maxDirectives: number
  /** Lexical tokens in the whole document; counted while parsing, so a longer one is never parsed. */
  maxTokens: number
  maxComplexity: number
}

export const graphqlLimitsFromEnv = (env: Record<string, string | undefined> = process.env): GraphqlLimits => ({
  maxDepth: wholeNumberFromEnv(env, 'GRAPHQL_MAX_DEPTH', 8, 1),
  maxAliases: wholeNumberFromEnv(env, 'GRAPHQL_MAX_ALIASES', 15, 0),
  maxRootFields: wholeNumberFromEnv(env, 'GRAPHQL_MAX_ROOT_FIELDS', 10, 1),
  maxDirectives: wholeNumberFromEnv(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 0),
  maxTokens: wholeNumberFromEnv(env, 'GRAPHQL_MAX_TOKENS', 1000, 1),
  maxComplexity: wholeNumberFromEnv(env, 'GRAPHQL_MAX_COMPLEXITY', 1000, 1),
})

/**
 * What a root field adds to a query's cost. Payload's resolvers run each root field as an operation
 * of its own (access control, hooks, SQL), and each one wraps the request in one more Proxy layer
 * (`isolateObjectProperty` in @payloadcms/graphql's resolvers) that every later property read walks
 * through: n root fields cost n² of those reads. Counting a root field as one field, as Payload's own
 * estimate does, let 500 aliases of `Post(id: 1) { id }` through at 1000 and hold the event loop 55 s.
 */
export const ROOT_FIELD_COST = 50

/**
 * graphql-armor's rules throw their refusal by default (for envelop, which catches it); graphql-js's
 * own `validate`, which Payload's handler calls, would let that escape as a 500. Reported instead,
 * and without the "Syntax Error" the plugins put in front: these queries parse fine.
 */
const armor = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
}

/** The distinct response names an operation's root selection asks for, through its fragments. */
const rootResponseNames = (context: ValidationContext, selectionSet: SelectionSetNode, names = new Set<string>(), seen = new Set<string>()) => {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Answered by graphql-js itself, no Payload operation behind it.
      if (selection.name.value !== '__typename') names.add(selection.alias?.value ?? selection.name.value)
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootResponseNames(context, selection.selectionSet, names, seen)
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value)
      const fragment = context.getFragment(selection.name.value)
      if (fragment) rootResponseNames(context, fragment.selectionSet, names, seen)
    }
  }
  return names
}

/** At most `max` root fields per operation (graphql-armor limits aliases, not root fields). */
export const maxRootFieldsRule =
  (max: number): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const count = rootResponseNames(context, operation.selectionSet).size
      if (count > max) context.reportError(new GraphQLError(`Root fields limit of ${max} exceeded, found ${count}.`, { nodes: operation }))
    },
  })

/** Root fields of Query and Mutation cost ROOT_FIELD_COST on top of what they select. */
const rootFieldEstimator =
  (rootTypes: Set<GraphQLCompositeType | null | undefined>): ComplexityEstimator =>
  ({ type, childComplexity }) =>
    rootTypes.has(type) ? ROOT_FIELD_COST + childComplexity : undefined

/**
 * The cost rule: Payload's estimate (field extensions, e.g. 10 for a relationship, else 1 per
 * field) plus ROOT_FIELD_COST per root field.
 */
const costRule =
  (maxComplexity: number, variables: Record<string, unknown> | null | undefined): ValidationRule =>
  (context) =>
    createComplexityRule({
      maximumComplexity: maxComplexity,
      variables: variables ?? {},
      estimators: [
        rootFieldEstimator(new Set([context.getSchema().getQueryType(), context.getSchema().getMutationType()])),
        fieldExtensionsEstimator(),
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    })(context)

/**
 * Payload's `graphQL.validationRules`: the cost rule, which needs the schema. It runs inside
 * graphql-js's `validate`, on documents that passed `refuseBeforeValidation`.
 */
export const graphqlValidationRules = (limits: GraphqlLimits, variables?: Record<string, unknown> | null): ValidationRule[] => [
  costRule(limits.maxComplexity, variables),
]

/** The document rules look at fragments and selections only: any valid schema will do to run them. */
const shapeSchema = buildSchema('type Query { _: Boolean }')

/**
 * Limits on a document's shape, none of which needs the schema. graphql-armor's rules remember what
 * each fragment counted, so a fragment spread twice in each of 30 fragments costs 30 steps, not 2³⁰.
 */
const documentRules = (limits: GraphqlLimits): ValidationRule[] => [
  NoFragmentCyclesRule,
  maxRootFieldsRule(limits.maxRootFields),
  maxAliasesRule({ ...armor, n: limits.maxAliases }) as ValidationRule,
  maxDirectivesRule({ ...armor, n: limits.maxDirectives }) as ValidationRule,
  // armor counts the root field as level 1; GRAPHQL_MAX_DEPTH has always counted from 0 there.
  maxDepthRule({ ...armor, n: limits.maxDepth + 1, flattenFragments: true, ignoreIntrospection: false }) as ValidationRule,
  // A bound on the work of the walks inside `validate` (Payload's and the cost rule, which expand
  // fragments anew at each spread): fields with their fragments expanded, 1 each (and 1 per fragment).
  // The cost rule counts every field at least 1 against the same limit, so this refuses next to nothing
  // that it would let through.
  costLimitRule({
    ...armor,
    maxCost: limits.maxComplexity,
    objectCost: 1,
    scalarCost: 1,
    depthCostFactor: 1,
    flattenFragments: true,
    ignoreIntrospection: false,
  }) as ValidationRule,
]

/**
 * Checks that must pass before graphql-js's `validate` sees a document, as the messages to refuse it
 * with. Inside `validate`, Payload's own complexity estimate (always installed) walks fragment spreads
 * without remembering them: a fragment that spreads itself overflows the stack (a 500 with an empty
 * body) before graphql-js's NoFragmentCyclesRule reports it, and fragments that spread the next one
 * twice take exponential time. The document is parsed with a token limit, so a long one is never
 * parsed whole, then checked by rules that remember each fragment's count. Every limit here is a
 * refusal before anything of Payload runs.
 */
const checkBeforeValidation = (query: string, limits: GraphqlLimits, name: string | undefined): string[] => {
  let document: DocumentNode
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true })
  } catch (error) {
    if (!(error instanceof GraphQLError)) return ['The query could not be parsed.']
    // graphql-js words this one "Document contains more that N tokens. Parsing aborted."
    if (error.message.includes(` ${limits.maxTokens} tokens`)) {
      return [`The query has more than ${limits.maxTokens} tokens (names, punctuation, values): send a shorter one.`]
    }
    return [error.message]
  }
  const refusals = validate(shapeSchema, document, documentRules(limits)).map(({ message }) => message)
  // graphql-http would say "Unable to detect operation AST" for both.
  if (!refusals.length && !getOperationAST(document, name)) {
    refusals.push(name ? `The query has no operation named "${name}".` : 'The query has several operations: name the one to run in operationName.')
  }
  return refusals
}

/** Query texts up to this length have their verdict kept: a client sends the same few queries again and again. */
const KEPT_QUERY_LENGTH = 8 * 1024

/** The verdicts for one set of limits, by operation name and query text; about 4 MB of query text at most. */
const verdicts = new WeakMap<GraphqlLimits, LRUCache<string, readonly string[]>>()

/**
 * `checkBeforeValidation`, whose verdict depends on the query text, the operation name and the limits
 * alone: a query sent again gets the verdict it got before instead of being parsed and walked again (a
 * few hundred microseconds, a few percent of an uncached GraphQL list).
 */
export const refuseBeforeValidation = (query: string, limits: GraphqlLimits, operationName?: unknown): string[] => {
  const name = typeof operationName === 'string' && operationName ? operationName : undefined
  if (query.length > KEPT_QUERY_LENGTH) return checkBeforeValidation(query, limits, name)
  let kept = verdicts.get(limits)
  if (!kept) verdicts.set(limits, (kept = new LRUCache({ maxSize: 2 * 1024 * 1024, sizeCalculation: (_, key) => key.length })))
  const key = `${name ?? ''}\u0000${query}`
  let verdict = kept.get(key)
  if (!verdict) kept.set(key, (verdict = checkBeforeValidation(query, limits, name)))
  return [...verdict]
}
