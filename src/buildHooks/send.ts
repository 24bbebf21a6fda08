import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'

import { Webhook } from 'standardwebhooks'

import type { OutgoingRequest } from './presets'
import { guardedLookup, isPrivateAddress, privateTargetMessage } from './targets'

export type AttemptResult = { responseCode: number | null; durationMs: number; error: string | null }

const MAX_ERROR_BODY = 300

/**
 * Sends one signed request (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)
 * and answers what came back. The id is the burst's, the same on every retry, so a receiver can
 * drop a repeat; the timestamp is this attempt's, as the spec asks (receivers refuse old ones).
 */
export const sendSigned = async (
  request: OutgoingRequest,
  signing: { secret: string; webhookId: string; timestamp: Date },
  options: { timeoutMs: number; allowPrivateTargets: boolean },
): Promise<AttemptResult> => {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const url = new URL(request.url)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  // Node connects to an address written in the URL without a lookup, so the lookup's check does not see it.
  if (!options.allowPrivateTargets && isIP(host) && isPrivateAddress(host)) {
    return { responseCode: null, durationMs: elapsed(), error: privateTargetMessage(host, host) }
  }
  const signature = new Webhook(signing.secret).sign(signing.webhookId, signing.timestamp, request.body)
  const headers = {
    ...request.headers,
    'user-agent': 'Greenroom-Build-Hooks/1.0',
    'content-length': String(Buffer.byteLength(request.body)),
    'webhook-id': signing.webhookId,
    'webhook-timestamp': String(Math.floor(signing.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<AttemptResult>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers,
        lookup: guardedLookup(options.allowPrivateTargets) as never,
        signal: AbortSignal.timeout(options.timeoutMs),
        // A redirect is not followed: a build hook URL that moved should be edited, and following
        // it would bypass the target check.
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk)
          size += chunk.length
        })
        res.on('end', () => {
          const status = res.statusCode ?? 0
          const ok = status >= 200 && status < 300
          const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY).trim()
          resolve({ responseCode: status, durationMs: elapsed(), error: ok ? null : `HTTP ${status}${text ? `: ${text}` : ''}` })
        })
        res.on('error', (error) => resolve({ responseCode: status(res), durationMs: elapsed(), error: error.message }))
      },
    )
    req.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.name === 'TimeoutError' || error.name === 'AbortError'
          ? `No answer within ${options.timeoutMs} ms`
          : error.message || String(error.code ?? error)
      resolve({ responseCode: null, durationMs: elapsed(), error: message })
    })
    req.end(request.body)
  })
}

const status = (res: http.IncomingMessage) => res.statusCode ?? null
