import type { IncomingMessage } from 'node:http'

import express from 'express'

import type { TrustsProxy } from '../../src/server/proxyTrust'
import { clientOf, parseTrustProxy } from '../../src/server/proxyTrust'
import { securityHeadersFor } from '../../src/server/securityHeaders'

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

describe('clientOf', () => {
  const clientTrusting = (setting: string | boolean) =>
    clientOf(
      express()
        .set('trust proxy', parseTrustProxy(String(setting)))
        .get('trust proxy fn') as TrustsProxy,
    )

  const request = (remoteAddress: string, headers: Record<string, string> = {}, encrypted = false) =>
    ({
      headers,
      socket: { remoteAddress, encrypted },
    }) as unknown as IncomingMessage

  test('believes forwarding headers only from a trusted proxy, as express does', () => {
    const client = clientTrusting('loopback')
    const viaProxy = request('127.0.0.1', {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    })
    expect(client.addressOf(viaProxy)).toBe('203.0.113.9')
    expect(client.isHttps(viaProxy)).toBe(true)

    const direct = request('198.51.100.7', {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    })
    expect(client.addressOf(direct)).toBe('198.51.100.7')
    expect(client.isHttps(direct)).toBe(false)
  })

  test('a TLS socket is HTTPS whatever the headers say', () => {
    expect(clientTrusting('false').isHttps(request('198.51.100.7', {}, true))).toBe(true)
  })

  test('takes the first of several forwarded schemes', () => {
    expect(clientTrusting('true').isHttps(request('10.0.0.1', { 'x-forwarded-proto': 'https, http' }))).toBe(true)
  })
})

describe('securityHeadersFor', () => {
  const policyOf = (path: string) => new Map(securityHeadersFor(path, false)).get('Content-Security-Policy')

  test('API answers may run nothing, the docs page only its own scripts, pages only refuse framing', () => {
    expect(policyOf('/api/posts')).toMatch(/^default-src 'none'; frame-ancestors 'none'/)
    expect(policyOf('/api/docs')).toMatch(/script-src 'self'/)
    expect(policyOf('/admin')).toBe("frame-ancestors 'self'; base-uri 'self'; object-src 'none'")
    expect(policyOf('/api/graphql-playground')).toBe(policyOf('/admin'))
  })

  test('HSTS only over HTTPS', () => {
    expect(new Map(securityHeadersFor('/api/posts', false)).has('Strict-Transport-Security')).toBe(false)
    expect(new Map(securityHeadersFor('/api/posts', true)).get('Strict-Transport-Security')).toMatch(/max-age=31536000/)
  })
})
