import { AsyncLocalStorage } from 'node:async_hooks'

import type { RequestHandler } from 'express'

import type { Client } from './proxyTrust'
import type { LoginThrottle } from './rateLimit'

export type LoginClient = { address: string; throttle: LoginThrottle }

const loginClients = new AsyncLocalStorage<LoginClient>()

/**
 * Sign-in runs inside Payload's login operation, for REST and GraphQL alike, where the client's
 * address (as express and the rate limiter tell it, behind trusted proxies) is not known. Express
 * runs each API request inside this context, so the Users collection's login hooks find the address
 * and the throttle without a header anyone could forge.
 */
export const loginClientContext =
  (throttle: LoginThrottle, client: Client): RequestHandler =>
  (req, _res, next) =>
    loginClients.run({ address: client.addressOf(req), throttle }, next)

/** The HTTP client of the current request; undefined for the Local API (scripts, seeding), which is not throttled. */
export const currentLoginClient = (): LoginClient | undefined => loginClients.getStore()
