import { createHash, timingSafeEqual } from 'node:crypto'

import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'
import { APIError } from 'payload'

import { BUILD_DELIVERIES, BUILD_HOOKS } from '../buildHooks/collections'
import type { BuildDeploy } from '../payload-types'
import { errorResponses, json } from '../openapi/components'
import { BUILD_DEPLOYS } from './collection'
import type { DeployReport } from './reports'
import { readDeployReport, ReportNotUnderstood } from './reports'

/** Under the build-hooks collection's routes: POST /api/build-hooks/deploy-status. */
export const DEPLOY_STATUS_PATH = '/deploy-status'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The token as a bearer token, or as `?token=` for hosts whose outgoing webhooks cannot set headers. */
const tokenOf = (req: PayloadRequest): string | undefined => {
  const header = req.headers.get('authorization')
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
  if (bearer) return bearer
  const query = req.url ? new URL(req.url).searchParams.get('token') : null
  return query || undefined
}

const unauthorized = () =>
  new APIError(
    'A deploy report needs its build hook\'s deploy token, as "Authorization: Bearer <token>" or "?token=<token>".',
    401,
    undefined,
    true,
  )

/**
 * The hook whose deploy token this is. Every hook's token is compared, each in constant time (as
 * digests, so lengths do not matter), rather than looked up by value: how long the answer takes
 * says nothing about how much of a guess was right. Sites have a handful of hooks.
 */
const hookOf = async (req: PayloadRequest, token: string): Promise<number | string | undefined> => {
  const hooks = await req.payload.find({
    collection: BUILD_HOOKS,
    depth: 0,
    pagination: false,
    overrideAccess: true,
    select: { deployToken: true },
    req,
  })
  const offered = digest(token)
  let found: number | string | undefined
  for (const hook of hooks.docs as { id: number | string; deployToken?: string | null }[]) {
    if (hook.deployToken && timingSafeEqual(digest(hook.deployToken), offered) && found === undefined) found = hook.id
  }
  return found
}

/** What the hook had delivered when the report arrived: the content such a deploy builds. */
const lastDeliveredPosition = async (req: PayloadRequest, hook: number | string): Promise<number | undefined> => {
  const delivered = await req.payload.find({
    collection: BUILD_DELIVERIES,
    where: { hook: { equals: hook }, status: { equals: 'delivered' } },
    sort: '-toPosition',
    limit: 1,
    depth: 0,
    overrideAccess: true,
    select: { toPosition: true },
    req,
  })
  return delivered.docs[0]?.toPosition ?? undefined
}

const readBody = async (req: PayloadRequest): Promise<unknown> => {
  try {
    return await req.json?.()
  } catch (error) {
    if (error instanceof APIError) throw error
    throw new APIError('The body is not valid JSON.', 400, undefined, true)
  }
}

const findDeploy = async (req: PayloadRequest, hook: number | string, deployId: string) =>
  (
    await req.payload.find({
      collection: BUILD_DEPLOYS,
      where: { and: [{ hook: { equals: hook } }, { deployId: { equals: deployId } }] },
      limit: 1,
      depth: 0,
      overrideAccess: true,
      req,
    })
  ).docs[0] as BuildDeploy | undefined

/**
 * Stores a report: a deploy the host names by id is one row, whatever order its reports arrive in
 * (building, then live or failed; a finished deploy stays finished); a report without an id is a
 * deploy of its own. What a deploy
 * includes does not change while it builds, so a later report that names no position keeps the
 * one the first report stored.
 */
const storeReport = async (req: PayloadRequest, hook: number | string, report: DeployReport): Promise<BuildDeploy> => {
  const reportedAt = new Date().toISOString()
  const fields = {
    state: report.state,
    provider: report.provider,
    reportedAt,
    error: report.state === 'failed' ? (report.error ?? null) : null,
    ...(report.url ? { url: report.url } : {}),
  }
  const update = (existing: BuildDeploy) =>
    req.payload.update({
      collection: BUILD_DEPLOYS,
      id: existing.id,
      data: {
        ...fields,
        position: report.position ?? existing.position ?? null,
      },
      depth: 0,
      overrideAccess: true,
      req,
    }) as Promise<BuildDeploy>
  const existing = report.deployId ? await findDeploy(req, hook, report.deployId) : undefined
  // Webhooks arrive out of order now and then: a late "building" does not take a finished deploy back.
  if (existing && report.state === 'building' && existing.state !== 'building') return existing
  if (existing) return update(existing)
  const position = report.position ?? (await lastDeliveredPosition(req, hook)) ?? null
  try {
    return (await req.payload.create({
      collection: BUILD_DEPLOYS,
      data: { hook: hook as number, deployId: report.deployId ?? null, position, ...fields },
      depth: 0,
      overrideAccess: true,
      req,
    })) as BuildDeploy
  } catch (error) {
    // Another report of the same deploy created the row first (the unique index on hook and id).
    const created = report.deployId ? await findDeploy(req, hook, report.deployId) : undefined
    if (created) return update(created)
    throw error
  }
}

const reportDeployStatus: PayloadHandler = async (req) => {
  const token = tokenOf(req)
  const hook = token ? await hookOf(req, token) : undefined
  if (hook === undefined) throw unauthorized()
  let report: DeployReport
  try {
    report = readDeployReport(await readBody(req))
  } catch (error) {
    if (error instanceof ReportNotUnderstood) throw new APIError(error.message, 400, undefined, true)
    throw error
  }
  const deploy = await storeReport(req, hook, report)
  return Response.json({
    message: `Deploy ${deploy.state}.`,
    deploy: {
      id: deploy.id,
      state: deploy.state,
      url: deploy.url ?? null,
      position: deploy.position ?? null,
      deployId: deploy.deployId ?? null,
      reportedAt: deploy.reportedAt,
    },
  })
}

const stateSchema = { type: 'string', enum: ['building', 'live', 'failed'] }

export const deployStatusEndpoint: Endpoint = {
  path: DEPLOY_STATUS_PATH,
  method: 'post',
  handler: reportDeployStatus,
  custom: {
    openapi: {
      operationId: 'reportDeployStatus',
      summary: 'A deploy reports its state (building, live, failed) back to Greenroom',
      description:
        "Authenticated by the build hook's deploy token, as a bearer token or as `?token=` (for Netlify's deploy " +
        "notifications and Vercel's webhooks, which cannot always send headers). Takes Greenroom's own body, " +
        "Netlify's deploy notification or Vercel's deployment webhook. Reports of one deploy (the same deploy id) " +
        'update one row of `build-deploys`.',
      tags: ['Build hooks'],
      security: [{ deployToken: [] }, { deployTokenQuery: [] }],
      requestBody: {
        required: true,
        content: json({
          oneOf: [
            {
              title: 'Generic',
              type: 'object',
              properties: {
                state: stateSchema,
                url: { type: 'string', description: 'Where the deploy can be seen.' },
                position: { type: 'integer', minimum: 0, description: 'The change-log position the deploy includes (the `toPosition` of the delivery, or the sync cursor\'s head it built from).' },
                deployId: { type: 'string', description: 'The host\'s id of the deploy: reports with the same id update one row.' },
                error: { type: 'string' },
              },
              required: ['state'],
            },
            {
              title: 'Netlify deploy notification',
              type: 'object',
              properties: {
                id: { type: 'string' },
                state: { type: 'string', description: 'building, ready or error (and Netlify\'s other in-progress states)' },
                ssl_url: { type: 'string' },
                deploy_ssl_url: { type: 'string' },
                error_message: { type: ['string', 'null'] },
              },
              required: ['state'],
            },
            {
              title: 'Vercel webhook',
              type: 'object',
              properties: {
                type: { type: 'string', enum: ['deployment.created', 'deployment.succeeded', 'deployment.ready', 'deployment.promoted', 'deployment.error', 'deployment.canceled'] },
                payload: {
                  type: 'object',
                  properties: { deployment: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string' } } } },
                },
              },
              required: ['type'],
            },
          ],
        }),
      },
      responses: {
        200: {
          description: 'The report is stored',
          content: json({
            type: 'object',
            properties: {
              message: { type: 'string' },
              deploy: {
                type: 'object',
                properties: {
                  id: { type: ['integer', 'string'] },
                  state: stateSchema,
                  url: { type: ['string', 'null'] },
                  position: { type: ['integer', 'null'] },
                  deployId: { type: ['string', 'null'] },
                  reportedAt: { type: 'string' },
                },
                required: ['id', 'state', 'url', 'position', 'deployId', 'reportedAt'],
              },
            },
            required: ['message', 'deploy'],
          }),
        },
        // 400: not a deploy report; 401: no deploy token, or one no hook has; 403: sent with an API key,
        // which changes nothing (src/access/readOnlyApiKeys.ts): a deploy sends only its token.
        ...errorResponses(400, 401, 403),
      },
    },
  },
}
