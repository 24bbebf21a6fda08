import { lookup as dnsLookup } from 'node:dns'
import { BlockList, isIP } from 'node:net'

/**
 * Addresses a build hook may not call unless BUILD_HOOKS_ALLOW_PRIVATE_TARGETS is set: whoever can
 * edit a hook could otherwise make the server post to its own network (databases, metadata
 * services at 169.254.169.254, admin ports on localhost).
 */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6')
}

/** True for an address on a private, loopback, link-local or otherwise non-public network. */
export const isPrivateAddress = (address: string): boolean => {
  const family = isIP(address)
  if (family === 4) return PRIVATE.check(address, 'ipv4')
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) reaches the IPv4 host.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
    if (mapped) return PRIVATE.check(mapped[1], 'ipv4')
    // …or in hex, as URL parsing writes it (http://[::ffff:127.0.0.1]/ has the host [::ffff:7f00:1]).
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
    if (hex) {
      const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)]
      return PRIVATE.check([high >> 8, high & 255, low >> 8, low & 255].join('.'), 'ipv4')
    }
    return PRIVATE.check(address, 'ipv6')
  }
  return true
}

export type TargetProblem = string | null

/** What is wrong with a target URL before any lookup: not http(s), credentials in it. */
export const checkTargetUrlShape = (value: string): TargetProblem => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'The target URL is not a valid absolute URL.'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The target URL must start with https:// (or http://).'
  if (url.username || url.password) return 'Put credentials in the secret or token fields, not in the target URL.'
  return null
}

const lookupAll = (hostname: string): Promise<string[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  )

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1')

/**
 * Checks a target at save time: its shape, and, unless private targets are allowed, every address
 * its host name resolves to. Delivery checks again on the address it connects to (see
 * `guardedLookup`), since DNS can answer differently later.
 */
export const checkTarget = async (value: string, allowPrivateTargets: boolean): Promise<TargetProblem> => {
  const shape = checkTargetUrlShape(value)
  if (shape || allowPrivateTargets) return shape
  const host = hostOf(new URL(value))
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : await lookupAll(host)
  } catch {
    return `The target's host name "${host}" does not resolve.`
  }
  const blocked = addresses.find(isPrivateAddress)
  return blocked ? privateTargetMessage(host, blocked) : null
}

export const privateTargetMessage = (host: string, address: string) =>
  `The target "${host}" is on a private, loopback or link-local network (${address}); ` +
  'set BUILD_HOOKS_ALLOW_PRIVATE_TARGETS=true to allow such targets.'

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void

/**
 * A `lookup` for node:http that refuses private addresses: the check is made on the very address
 * the request connects to, so a host name that resolved to a public address at save time and to
 * 127.0.0.1 now (DNS rebinding) is refused.
 */
export const guardedLookup =
  (allowPrivateTargets: boolean) =>
  (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true } as { all: true }, (error, addresses) => {
      if (error) return callback(error, '')
      const blocked = allowPrivateTargets ? undefined : addresses.find((a) => isPrivateAddress(a.address))
      if (blocked) {
        return callback(Object.assign(new Error(privateTargetMessage(hostname, blocked.address)), { code: 'EPRIVATETARGET' }), '')
      }
      if (options.all) return callback(null, addresses)
      const [first] = addresses
      return callback(null, first.address, first.family)
    })
  }
