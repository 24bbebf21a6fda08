import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

/** The request being served, for log lines written while it is (Payload's own among them). */
export const requestContext = new AsyncLocalStorage<{ id: string }>()

/** Marks a logger that already names its request (pino-http's per-request logger). */
export const NAMES_ITS_REQUEST = Symbol('greenroom.namesItsRequest')

/**
 * The logger's mixin (payload.config.ts): every line written while a request is served carries its id
 * as `reqId`, as the request's own line does.
 */
export const requestIdMixin = (_line: object, _level: number, logger?: object): object => {
  if (logger && (logger as Record<symbol, unknown>)[NAMES_ITS_REQUEST]) return {}
  const id = requestContext.getStore()?.id
  return id ? { reqId: id } : {}
}

/** An id a proxy in front gave the request is kept when it is a plain token (so it cannot forge log lines). */
const ACCEPTABLE_ID = /^[\w.:@-]{1,128}$/

export const requestIdFrom = (header: string | string[] | undefined): string =>
  typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : randomUUID()
