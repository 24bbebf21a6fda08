import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'

import proxyAddr from 'proxy-addr'

/** TRUST_PROXY as express understands it: true/false, a hop count, or addresses and names. */
export const parseTrustProxy = (value: string | undefined): boolean | number | string => {
  if (value === undefined || value === '') return 'loopback'
  if (value === 'true' || value === 'false') return value === 'true'
  return /^\d+$/.test(value) ? Number(value) : value
}

/** Express's compiled `trust proxy` setting: is the hop at this address, this far back, a proxy we trust? */
export type TrustsProxy = (address: string, hop: number) => boolean

/**
 * The client's address and scheme, told exactly as express tells `req.ip` and `req.protocol` from
 * the same compiled setting: the lane that answers stored reads before express (storedAnswerLane.ts)
 * must count a client's requests under the same address and send HSTS to the same requests.
 */
export const clientOf = (trustsProxy: TrustsProxy) => {
  // A connection's peer never changes, and a keep-alive connection carries many requests.
  const peerIsTrusted = new WeakMap<Socket, boolean>()
  const trustsPeer = (socket: Socket) => {
    let trusted = peerIsTrusted.get(socket)
    if (trusted === undefined) peerIsTrusted.set(socket, (trusted = trustsProxy(socket.remoteAddress ?? '', 0)))
    return trusted
  }
  return {
    // Without X-Forwarded-For, proxy-addr has only the peer to choose and returns it: its parsing and
    // trust checks are skipped on the path of every read.
    addressOf: (req: IncomingMessage): string =>
      req.headers['x-forwarded-for'] === undefined && req.socket.remoteAddress !== undefined
        ? req.socket.remoteAddress
        : proxyAddr(req, trustsProxy),
    isHttps: (req: IncomingMessage): boolean => {
      const socket = req.socket as TLSSocket
      const scheme = socket.encrypted ? 'https' : 'http'
      if (!trustsPeer(socket)) return scheme === 'https'
      const forwarded = req.headers['x-forwarded-proto']
      const header = (Array.isArray(forwarded) ? forwarded[0] : forwarded) || scheme
      return header.split(',')[0].trim() === 'https'
    },
  }
}

export type Client = ReturnType<typeof clientOf>
