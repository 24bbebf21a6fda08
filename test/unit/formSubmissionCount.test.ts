import type { Request } from 'express'

import { formSubmissionsIn } from '../../src/server/formSubmissionCount'

const routes = { collection: '/api/form-submissions', graphql: '/api/graphql' }
const graphqlRequest = (body: unknown) =>
  ({ method: 'POST', path: '/api/graphql', body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) }) as Request
const create = 'createFormSubmission(data: { form: 1 }) { id }'

describe('formSubmissionsIn', () => {
  test('a POST to the collection is one submission; other routes and methods none', () => {
    expect(formSubmissionsIn({ method: 'POST', path: '/api/form-submissions' } as Request, routes)).toBe(1)
    expect(formSubmissionsIn({ method: 'GET', path: '/api/form-submissions' } as Request, routes)).toBe(0)
    expect(formSubmissionsIn({ method: 'POST', path: '/api/posts' } as Request, routes)).toBe(0)
  })

  test('GraphQL: one per createFormSubmission field, aliases and fragments included', () => {
    expect(formSubmissionsIn(graphqlRequest({ query: `mutation { ${create} }` }), routes)).toBe(1)
    expect(formSubmissionsIn(graphqlRequest({ query: `mutation { a: ${create} b: ${create} c: ${create} }` }), routes)).toBe(3)
    expect(
      formSubmissionsIn(graphqlRequest({ query: `mutation { ...F } fragment F on Mutation { ${create} x: ${create} }` }), routes),
    ).toBe(2)
    expect(formSubmissionsIn(graphqlRequest([{ query: `mutation { ${create} }` }, { query: `mutation { ${create} }` }]), routes)).toBe(2)
  })

  test('GraphQL requests without the mutation, or that cannot run, count none', () => {
    expect(formSubmissionsIn(graphqlRequest({ query: '{ Posts { docs { id } } }' }), routes)).toBe(0)
    expect(formSubmissionsIn(graphqlRequest({ query: 'mutation { createFormSubmission(' }), routes)).toBe(0)
    expect(formSubmissionsIn(graphqlRequest('createFormSubmission, not JSON'), routes)).toBe(0)
    expect(formSubmissionsIn({ method: 'POST', path: '/api/graphql' } as Request, routes)).toBe(0)
  })
})
