import type { Request, Response } from 'express'
import type { Payload } from 'payload'

import { readContentVersion } from '../changes/contentVersion'
import { hasReadReplicas } from '../db/readReplicas'

export const READINESS_TIMEOUT_MS = 2000

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })

/** Liveness: the process runs and its event loop answers. Never touches the database. */
export const healthz = (_req: Request, res: Response) => {
  res.set('Cache-Control', 'no-store').json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) })
}

/** Where the server is in its life: `starting` while the admin panel and GraphQL are made ready behind the REST API. */
export type ServerPhase = 'starting' | 'serving' | 'stopping'

/**
 * Readiness: every route works (the admin panel and GraphQL included, which get ready after the server
 * listens) and the database answers a real query in time. A load balancer stops sending traffic on 503
 * and resumes by itself once the database is back.
 */
export const readyz =
  (payload: Payload, phase: () => ServerPhase) => async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store')
    const now = phase()
    if (now === 'stopping') {
      res.status(503).json({ status: 'shutting-down' })
      return
    }
    if (now === 'starting') {
      res.status(503).json({ status: 'starting' })
      return
    }
    const started = Date.now()
    try {
      // With read replicas the count is answered by a replica; the content version is read on the
      // primary, which every write needs: both have to answer.
      const checks = [payload.count({ collection: 'users', overrideAccess: true }), ...(hasReadReplicas(payload) ? [readContentVersion(payload)] : [])]
      await withTimeout(Promise.all(checks), READINESS_TIMEOUT_MS)
      res.json({ status: 'ready', database: payload.db.name, latencyMs: Date.now() - started })
    } catch (error) {
      payload.logger.warn({ err: error }, 'readiness check failed')
      // The cause goes to the log only: it can name hosts and users.
      res.status(503).json({ status: 'unavailable', database: payload.db.name, error: 'The database did not answer.' })
    }
  }
