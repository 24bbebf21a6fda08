import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

import type { PayloadRequest } from 'payload'
import { generateCookie, parseCookies } from 'payload/shared'

/**
 * OWASP's device cookie: a browser that signed in to an account gets a cookie naming a random
 * device id, signed for that account's email; its later sign-ins to that account are throttled on
 * their own, apart from strangers'. It proves nothing about identity (Payload's session cookie does
 * that): a stolen one only gives its holder the throttle of one device.
 */
const NAME = 'greenroom-device'

const signatureOf = (secret: string, email: string, device: string, issuedAt: string) =>
  createHmac('sha256', secret).update(`greenroom-device\n${email}\n${device}\n${issuedAt}`).digest('base64url')

/** The device id the request's cookie names, if the cookie is signed for this email and not expired. */
export const deviceOf = (req: PayloadRequest, email: string, maxAgeDays: number): string | undefined => {
  const value = parseCookies(req.headers).get(NAME)
  const [device, issuedAt, signature, ...rest] = value?.split('.') ?? []
  if (!device || !issuedAt || !signature || rest.length || !/^\d+$/.test(issuedAt)) return undefined
  if (Date.now() / 1000 - Number(issuedAt) > maxAgeDays * 86_400) return undefined
  const expected = Buffer.from(signatureOf(req.payload.secret, email, device, issuedAt))
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected) ? device : undefined
}

/**
 * A fresh device cookie for this email, scoped to the route the sign-in came through (REST's
 * /users/login or GraphQL), so it travels with sign-ins only and never with reads.
 */
export const deviceCookieFor = (req: PayloadRequest, email: string, maxAgeDays: number, secure: boolean): string => {
  const device = randomBytes(16).toString('base64url')
  const issuedAt = String(Math.floor(Date.now() / 1000))
  const path = req.payloadAPI === 'GraphQL' ? `${req.payload.config.routes.api}${req.payload.config.routes.graphQL}` : new URL(req.url ?? '/', 'http://x').pathname
  return generateCookie<false>({
    name: NAME,
    value: `${device}.${issuedAt}.${signatureOf(req.payload.secret, email, device, issuedAt)}`,
    path,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: maxAgeDays * 86_400,
    returnCookieAsObject: false,
  })
}
