import { hasGraphqlErrors, isStorableGraphqlRead } from '../../src/server/cache/graphqlReads'

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('isStorableGraphqlRead', () => {
  test('a query, named or not, with variables and fragments, may be stored', () => {
    expect(isStorableGraphqlRead(body({ query: '{ Posts(limit: 3) { docs { title } } }' }))).toBe(true)
    expect(
      isStorableGraphqlRead(
        body({
          query: 'query List($n: Int) { Posts(limit: $n) { docs { ...Card } } } fragment Card on Post { title slug }',
          variables: { n: 2 },
          operationName: 'List',
        }),
      ),
    ).toBe(true)
  })

  test('a mutation or a subscription, even beside a query, is never stored', () => {
    expect(isStorableGraphqlRead(body({ query: 'mutation { createCategory(data: { title: "x" }) { id } }' }))).toBe(
      false,
    )
    expect(
      isStorableGraphqlRead(
        body({ query: 'query A { Posts { totalDocs } } mutation B { deletePost(id: 1) { id } }', operationName: 'A' }),
      ),
    ).toBe(false)
    expect(isStorableGraphqlRead(body({ query: 'subscription { changes { id } }' }))).toBe(false)
  })

  test('a query that asks for drafts anywhere, literally or through a variable, is never stored', () => {
    expect(isStorableGraphqlRead(body({ query: '{ Posts(draft: true) { docs { title } } }' }))).toBe(false)
    expect(
      isStorableGraphqlRead(body({ query: 'query($d: Boolean) { Post(id: 1, draft: $d) { title } }', variables: {} })),
    ).toBe(false)
  })

  test('what is not a GraphQL request is left to Payload', () => {
    for (const bad of ['', 'not json', 'null', '[]', '{"query": 3}', '{"query": "{ Posts { "}', '{"query": "fragment F on Post { id }"}']) {
      expect([bad, isStorableGraphqlRead(body(bad))]).toEqual([bad, false])
    }
  })
})

describe('hasGraphqlErrors', () => {
  test('an answer with errors, or one that is not a JSON object, counts as failed', () => {
    expect(hasGraphqlErrors(body({ data: { Posts: null }, errors: [{ message: 'denied' }] }))).toBe(true)
    expect(hasGraphqlErrors(body('oops'))).toBe(true)
    expect(hasGraphqlErrors(body('null'))).toBe(true)
    expect(hasGraphqlErrors(body({ data: { Posts: { docs: [] } } }))).toBe(false)
  })
})
