import { buildSchema, parse, specifiedRules, validate } from 'graphql'

import { ConfigurationError } from '../../src/env'
import type { GraphqlLimits } from '../../src/graphql/guards'
import { graphqlLimitsFromEnv, graphqlValidationRules, refuseBeforeValidation, ROOT_FIELD_COST } from '../../src/graphql/guards'

const limits: GraphqlLimits = graphqlLimitsFromEnv({})

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, k) => `a${k}: Post(id: 1) { id }`).join(' ')} }`

// The shape of Payload's schema where it matters: root fields that run operations, a relationship.
const schema = buildSchema(`
  type Post { id: Int title: String relatedPosts: [Post] }
  type Posts { docs: [Post] totalDocs: Int }
  type Query { Post(id: Int): Post Posts(limit: Int): Posts }
`)

const costErrors = (query: string, variables: Record<string, unknown> = {}) =>
  validate(schema, parse(query), [...specifiedRules, ...graphqlValidationRules(limits, variables)]).map(({ message }) => message)

describe('settings', () => {
  test('defaults, and a wrong value stops the start with the setting named', () => {
    expect(limits).toEqual({ maxDepth: 8, maxAliases: 15, maxRootFields: 10, maxDirectives: 20, maxTokens: 1000, maxComplexity: 1000 })
    expect(graphqlLimitsFromEnv({ GRAPHQL_MAX_ALIASES: '3' }).maxAliases).toBe(3)
    expect(() => graphqlLimitsFromEnv({ GRAPHQL_MAX_ROOT_FIELDS: '0' })).toThrow(ConfigurationError)
    expect(() => graphqlLimitsFromEnv({ GRAPHQL_MAX_TOKENS: 'lots' })).toThrow(/GRAPHQL_MAX_TOKENS/)
  })
})

describe('refuseBeforeValidation', () => {
  test("a front end's queries pass: lists with a few aliases, fragments, variables, directives", () => {
    const query = `
      query Home($n: Int, $withBody: Boolean!) {
        latest: Posts(limit: $n) { docs { ...Card } totalDocs }
        featured: Post(id: 1) { ...Card body: title @include(if: $withBody) }
        __typename
      }
      fragment Card on Post { id title relatedPosts { id title } }`
    expect(refuseBeforeValidation(query, limits)).toEqual([])
    expect(refuseBeforeValidation(aliases(limits.maxRootFields), limits)).toEqual([])
  })

  test('a fragment that spreads itself, directly or through another, is refused', () => {
    expect(refuseBeforeValidation('query { Post(id: 1) { ...F } } fragment F on Post { id ...F }', limits)).toEqual([
      'Cannot spread fragment "F" within itself.',
    ])
    const mutual = 'query { Post(id: 1) { ...A } } fragment A on Post { id ...B } fragment B on Post { title ...A }'
    expect(refuseBeforeValidation(mutual, limits)).toEqual(['Cannot spread fragment "A" within itself via "B".'])
  })

  test('root fields and aliases beyond their limits are refused, counted through fragments', () => {
    expect(refuseBeforeValidation(aliases(500), { ...limits, maxTokens: 10_000 })).toEqual([
      'Root fields limit of 10 exceeded, found 500.',
      'Aliases limit of 15 exceeded, found 500.',
    ])
    const throughFragment = `query { ...Q } fragment Q on Query { ${aliases(11).slice(1, -1)} }`
    expect(refuseBeforeValidation(throughFragment, limits)).toEqual(['Root fields limit of 10 exceeded, found 11.'])
    // __typename is answered by graphql-js, not by a Payload operation: not a root field.
    expect(refuseBeforeValidation(`{ ${Array.from({ length: 12 }, (_, k) => `t${k}: __typename`).join(' ')} }`, { ...limits, maxAliases: 100 })).toEqual([])
    const nestedAliases = `{ Post(id: 1) { ${Array.from({ length: 16 }, (_, k) => `t${k}: title`).join(' ')} } }`
    expect(refuseBeforeValidation(nestedAliases, limits)).toEqual(['Aliases limit of 15 exceeded, found 16.'])
  })

  test('a query sent again gets the same verdict, per operation name and limits', () => {
    const two = 'query A { Post(id: 1) { id } } query B { Post(id: 2) { title } }'
    const several = refuseBeforeValidation(two, limits)
    expect(several).toEqual(['The query has several operations: name the one to run in operationName.'])
    // A verdict handed out is the caller's: changing it changes no later one.
    several.push('changed by the caller')
    expect(refuseBeforeValidation(two, limits)).toEqual(['The query has several operations: name the one to run in operationName.'])
    expect(refuseBeforeValidation(two, limits, 'A')).toEqual([])
    expect(refuseBeforeValidation(two, limits, 'C')).toEqual(['The query has no operation named "C".'])
    const fiveAliases = aliases(5)
    expect(refuseBeforeValidation(fiveAliases, limits)).toEqual([])
    expect(refuseBeforeValidation(fiveAliases, { ...limits, maxAliases: 2 })).toEqual(['Aliases limit of 2 exceeded, found 5.'])
    expect(refuseBeforeValidation(fiveAliases, limits)).toEqual([])
  })

  test('a document longer than GRAPHQL_MAX_TOKENS is not parsed', () => {
    const [message] = refuseBeforeValidation(`{ Post(id: 1) { ${'id '.repeat(1000)} } }`, limits)
    expect(message).toMatch(/^The query has more than 1000 tokens/)
    // Even a megabyte of them: parsing stops at the limit.
    const started = performance.now()
    expect(refuseBeforeValidation(`{ ${'a '.repeat(500_000)} }`, limits)).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('directives and depth beyond their limits are refused; depth counts from 0 at the root field', () => {
    const directives = `{ Post(id: 1) { ${Array.from({ length: 21 }, (_, k) => `t${k}: title @include(if: true)`).join(' ')} } }`
    expect(refuseBeforeValidation(directives, { ...limits, maxAliases: 100 })).toEqual(['Directives limit of 20 exceeded, found 21.'])
    const nested = (levels: number): string => (levels === 0 ? 'id' : `relatedPosts { ${nested(levels - 1)} }`)
    expect(refuseBeforeValidation(`{ Post(id: 1) { ${nested(7)} } }`, limits)).toEqual([])
    expect(refuseBeforeValidation(`{ Post(id: 1) { ${nested(8)} } }`, limits)).toEqual(['Query depth limit of 9 exceeded, found 10.'])
  })

  test('fragments that spread the next one twice are counted in linear time and refused', () => {
    // 2³⁰ fields once expanded: Payload's complexity walk and graphql-js would take hours.
    const doubling = `query { Post(id: 1) { ...F0 } } ${Array.from(
      { length: 30 },
      (_, k) => `fragment F${k} on Post { id ${k < 29 ? `relatedPosts { ...F${k + 1} } relatedPosts { ...F${k + 1} }` : ''} }`,
    ).join(' ')}`
    const started = performance.now()
    const messages = refuseBeforeValidation(doubling, { ...limits, maxDepth: 100 })
    expect(performance.now() - started).toBeLessThan(1000)
    expect(messages).toEqual([expect.stringMatching(/^Query Cost limit of 1000 exceeded, found \d{10,}\.$/)])
  })

  test('an operationName the document lacks, or none among several operations, is refused', () => {
    const two = 'query a { Post(id: 1) { id } } query b { Post(id: 2) { id } }'
    expect(refuseBeforeValidation(two, limits, 'b')).toEqual([])
    expect(refuseBeforeValidation(two, limits, 'nope')).toEqual(['The query has no operation named "nope".'])
    expect(refuseBeforeValidation(two, limits)).toEqual(['The query has several operations: name the one to run in operationName.'])
    expect(refuseBeforeValidation('{ Post(id: 1) { id } }', limits, null)).toEqual([])
  })

  test('a syntax error is refused with its message', () => {
    expect(refuseBeforeValidation('{ Posts { docs { title }', limits)).toEqual(['Syntax Error: Expected Name, found <EOF>.'])
  })
})

describe('the cost rule', () => {
  test('counts each root field as an operation, beside what it selects', () => {
    const one = '{ Post(id: 1) { id } }'
    expect(costErrors(one)).toEqual([])
    const justOver = Math.floor(limits.maxComplexity / (ROOT_FIELD_COST + 1)) + 1
    expect(costErrors(aliases(justOver))).toEqual([
      `The query exceeds the maximum complexity of 1000. Actual complexity is ${justOver * (ROOT_FIELD_COST + 1)}`,
    ])
  })

  test('reads variables, as Payload passes them', () => {
    expect(costErrors('query ($n: Int) { Posts(limit: $n) { docs { id } } }', { n: 3 })).toEqual([])
  })
})
