import { ConfigurationError, localServerOrigins, parseOrigins, resolvePayloadSecret } from '../../src/env'

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

describe('localServerOrigins', () => {
  test('by default, the loopback names on port 3000', () => {
    expect(localServerOrigins({})).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])
  })
  test('follows PORT, and leaves out port 80', () => {
    expect(localServerOrigins({ PORT: '8080', HOST: '0.0.0.0' })).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
    ])
    expect(localServerOrigins({ PORT: '80' })[0]).toBe('http://localhost')
  })
  test('adds a HOST that names one address', () => {
    expect(localServerOrigins({ HOST: 'cms.internal', PORT: '3000' })[0]).toBe('http://cms.internal:3000')
    expect(localServerOrigins({ HOST: 'fd00::5', PORT: '3000' })[0]).toBe('http://[fd00::5]:3000')
  })
})
