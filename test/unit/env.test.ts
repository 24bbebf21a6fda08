import { ConfigurationError, parseOrigins, resolvePayloadSecret } from '../../src/env'

const strong = 'f'.repeat(64)

describe('resolvePayloadSecret', () => {
  test('production refuses to run without a secret, saying how to make one', () => {
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production' })).toThrow(ConfigurationError)
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: '  ' })).toThrow(/PAYLOAD_SECRET is not set.*openssl rand/)
  })

  test('production refuses short or development secrets', () => {
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: 'short' })).toThrow(/at least 32/)
    const development = resolvePayloadSecret({ NODE_ENV: 'development' })
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: development })).toThrow(/development secret/)
  })

  test('production uses the given secret', () => {
    expect(resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: strong })).toBe(strong)
  })

  test('the build phase and development need none', () => {
    expect(resolvePayloadSecret({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).toBeTruthy()
    expect(resolvePayloadSecret({ NODE_ENV: 'development' })).toBeTruthy()
    expect(resolvePayloadSecret({ NODE_ENV: 'test', PAYLOAD_SECRET: 'mine' })).toBe('mine')
  })
})

describe('parseOrigins', () => {
  test('splits, trims and drops trailing slashes', () => {
    expect(parseOrigins(' https://a.example/ ,https://b.example,, ')).toEqual(['https://a.example', 'https://b.example'])
    expect(parseOrigins(undefined)).toEqual([])
  })
})
