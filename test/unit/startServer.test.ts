import { parseTrustProxy } from '../../src/server/startServer'

describe('parseTrustProxy', () => {
  test.each([
    [undefined, 'loopback'],
    ['', 'loopback'],
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, loopback', '10.0.0.0/8, loopback'],
  ])('%j → %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected)
  })
})
