import { PayloadSDK } from '@payloadcms/sdk'

import type { Config } from './generated/payload-types.js'

// The generated types are the package's types: every collection, global, field and select shape.
export type * from './generated/payload-types.js'
export { PayloadSDKError } from '@payloadcms/sdk'

export type GreenroomClient = PayloadSDK<Config>

export type GreenroomClientOptions = {
  /** Where the CMS runs, e.g. `https://cms.example.com`; its REST API is under `/api`. */
  serverURL: string
  /**
   * An API key (Users → Enable API key in the admin panel), for builds that read content: it reads
   * what the public reads, with a rate limit of its own and answers no shared cache keeps.
   */
  apiKey?: string
  /** Another `fetch`, e.g. one that caches between builds. */
  fetch?: typeof fetch
}

/** A typed REST client for Greenroom: Payload's official SDK, bound to this CMS's generated types. */
export const createGreenroomClient = ({ serverURL, apiKey, fetch }: GreenroomClientOptions): GreenroomClient =>
  new PayloadSDK<Config>({
    baseURL: `${serverURL.replace(/\/+$/, '')}/api`,
    baseInit: apiKey ? { headers: { Authorization: `users API-Key ${apiKey}` } } : undefined,
    fetch,
  })
