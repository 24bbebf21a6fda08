import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express'
import type { Payload, PayloadRequest } from 'payload'
import { createLocalReq } from 'payload'
import getRawBody from 'raw-body'

import type { Form } from '../payload-types'
import { jsonTooLargeMessage, refuseBody, type BodyLimits } from '../server/bodyLimits'
import { rewritePayloadAnswer } from '../server/payloadApi'
import { confirmationOf, errorPage } from './confirmation'
import type { FormSettings } from './settings'
import { TOKEN_FIELD, checkFillToken } from './spamGuard'

/** More names than any form has; a body with more is not a form's. */
export const MAX_FORM_FIELDS = 200

const FORM_FIELD = 'form'
/** What Payload answers a created submission with; a dropped one (honeypot) gets the same words. */
const CREATED_MESSAGE = 'Form Submission successfully created.'

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const mediaTypeOf = (req: ExpressRequest) => (req.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase()

/** A browser navigating with a form post asks for HTML first; fetch() and API clients ask for JSON or anything. */
const wantsHtml = (req: ExpressRequest) => /\btext\/html\b/i.test(req.headers.accept ?? '')

/** The page the form was sent from, for the error page's way back: an http(s) URL only. */
const refererOf = (req: ExpressRequest): string | undefined => {
  const referer = req.headers.referer
  return referer && /^https?:\/\//i.test(referer) ? referer : undefined
}

type Entry = [name: string, value: string]

const fieldsOfMultipart = async (req: ExpressRequest, body: Buffer): Promise<{ entries: Entry[]; hasPayload: boolean }> => {
  let data: FormData
  try {
    data = await new Response(new Uint8Array(body), { headers: { 'content-type': req.headers['content-type']! } }).formData()
  } catch {
    throw new Refusal(400, 'The multipart body cannot be read: check its boundary and framing.')
  }
  const entries: Entry[] = []
  for (const [name, value] of data.entries()) {
    if (typeof value !== 'string') throw new Refusal(400, `The multipart body has a file in "${name.slice(0, 100)}": form submissions take no files.`)
    entries.push([name, value])
  }
  return { entries, hasPayload: data.has('_payload') }
}

/** A JSON body's own top-level keys, when it is an object; the spam guard's fields are found among them. */
const jsonObjectOf = (body: unknown): Record<string, unknown> | undefined => {
  if (!Buffer.isBuffer(body)) return undefined
  try {
    const value: unknown = JSON.parse(body.toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    // Payload answers unreadable JSON itself.
    return undefined
  }
}

/** Payload reads the body and its headers from the request as it arrived: both are replaced, as a JSON document. */
const replaceBodyWithJson = (req: ExpressRequest, document: unknown) => {
  const body = Buffer.from(JSON.stringify(document))
  req.body = body
  req.headers['content-type'] = 'application/json'
  req.headers['content-length'] = String(body.length)
  delete req.headers['transfer-encoding']
  const raw: string[] = []
  for (let k = 0; k < req.rawHeaders.length; k += 2) {
    const name = req.rawHeaders[k].toLowerCase()
    if (name === 'content-type' || name === 'content-length' || name === 'transfer-encoding') continue
    raw.push(req.rawHeaders[k], req.rawHeaders[k + 1])
  }
  raw.push('Content-Type', 'application/json', 'Content-Length', String(body.length))
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw)
}

/** Messages of Payload's error answer, each field's problem included. */
const messagesOf = async (response: Response): Promise<string[]> => {
  try {
    const { errors } = (await response.json()) as { errors?: { message?: string; data?: { errors?: { message?: string }[] } }[] }
    const messages = (errors ?? []).flatMap((error) => {
      const details = (error.data?.errors ?? []).map((detail) => detail.message).filter(Boolean) as string[]
      return details.length ? details : error.message ? [error.message] : []
    })
    return messages.length ? messages : ['The form could not be sent.']
  } catch {
    return ['The form could not be sent.']
  }
}

const sendHtml = (res: ExpressResponse, status: number, html: string) =>
  res.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).send(html)

/**
 * What a browser gets after a form was accepted: a 303 to the form's confirmation page, or a page
 * with its confirmation message. A form the public cannot read answers as a bad form id would.
 */
const confirmationAnswer = async (payload: Payload, req: ExpressRequest, formId: string): Promise<Response> => {
  const localReq = await createLocalReq({ locale: typeof req.query.locale === 'string' ? req.query.locale : undefined }, payload)
  let form: Form
  try {
    form = await payload.findByID({ collection: 'forms', id: formId, depth: 0, overrideAccess: false, req: localReq })
  } catch {
    return new Response(errorPage(['There is no such form.'], refererOf(req)), {
      status: 400,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    })
  }
  const confirmation = await confirmationOf(localReq as PayloadRequest, form, refererOf(req))
  if ('location' in confirmation) {
    return new Response(null, { status: 303, headers: { location: confirmation.location, 'cache-control': 'no-store' } })
  }
  return new Response(confirmation.html, {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  })
}

/**
 * Form submissions as a page's own `<form method="post">` sends them (urlencoded or multipart: the
 * form's field names and values, and `form` with the form's id), turned into Payload's document
 * (`{form, submissionData: [{field, value}]}`) before Payload's create handler sees the request, so
 * that Payload's access control, validation and hooks (acceptOnlyTheFormsFields) do the rest. The
 * spam guard (honeypot and fill-time token) runs here for every kind of body, JSON too, so that no
 * way in skips it. A browser's post (Accept: text/html) is answered as a browser needs: a 303 to the
 * form's confirmation, or an HTML page (the confirmation message, or what was wrong, with the same
 * 4xx status Payload gave). Other clients get Payload's JSON answers unchanged.
 */
export const acceptFormPosts = (
  payload: Payload,
  settings: FormSettings,
  limits: BodyLimits,
  route: string,
): RequestHandler => {
  /**
   * The CORS headers Payload gives its own answers (payload/dist/utilities/headersWithCors.js), for the
   * answers given here: a script on a CORS_ORIGINS page must be able to read a refusal too.
   */
  const allowOrigin = (req: ExpressRequest, res: ExpressResponse) => {
    const { cors } = payload.config
    const origin = req.headers.origin
    res.vary('Origin')
    if (origin && Array.isArray(cors) && cors.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Credentials', 'true')
    }
  }

  const refuse = (req: ExpressRequest, res: ExpressResponse, refusal: Refusal) => {
    allowOrigin(req, res)
    payload.logger.warn({ url: req.path, status: refusal.status }, `form submission refused: ${refusal.message}`)
    if (wantsHtml(req)) return sendHtml(res, refusal.status, errorPage([refusal.message], refererOf(req)))
    res.status(refusal.status).set('Cache-Control', 'no-store').json({ errors: [{ message: refusal.message }] })
  }

  const handle = async (req: ExpressRequest, res: ExpressResponse): Promise<'next' | 'answered'> => {
    const type = mediaTypeOf(req)
    let entries: Entry[]
    if (type === 'application/json') {
      const document = jsonObjectOf(req.body)
      return document ? guardDocument(req, res, document, false) : 'next'
    } else if (type === 'application/x-www-form-urlencoded') {
      entries = Buffer.isBuffer(req.body) ? [...new URLSearchParams(req.body.toString('utf8'))] : []
    } else if (type === 'multipart/form-data') {
      let body: Buffer
      try {
        body = await getRawBody(req, { length: req.headers['content-length'], limit: limits.jsonBytes })
      } catch (error) {
        const type = (error as { type?: string }).type
        if (type === 'entity.too.large') {
          refuseBody(req, res, 413, jsonTooLargeMessage(limits))
          return 'answered'
        }
        if (type === 'request.aborted') return 'answered'
        throw new Refusal(400, 'The request body is shorter or longer than its Content-Length says.')
      }
      const multipart = await fieldsOfMultipart(req, body)
      // The admin panel's (and Payload's SDK's) way: the document as JSON in `_payload`. Read here, so
      // that the spam guard sees it as it sees any JSON; a form submission has nothing else to send.
      if (multipart.hasPayload) {
        const document = jsonObjectOf(Buffer.from(multipart.entries.find(([name]) => name === '_payload')![1]))
        if (!document) throw new Refusal(400, 'The "_payload" part is not a JSON object.')
        return guardDocument(req, res, document, true)
      }
      entries = multipart.entries
    } else {
      // Payload refuses what it cannot read (src/badInput).
      return 'next'
    }

    if (entries.length > MAX_FORM_FIELDS) throw new Refusal(400, `The form has more than ${MAX_FORM_FIELDS} fields.`)
    const forms = entries.filter(([name]) => name === FORM_FIELD)
    if (forms.length !== 1 || forms[0][1].trim() === '') {
      throw new Refusal(400, `The form's id goes in one field named "${FORM_FIELD}" (a hidden input).`)
    }
    const formId = forms[0][1].trim()
    const honeypot = entries.find(([name]) => name === settings.honeypotField)?.[1]
    const token = entries.find(([name]) => name === TOKEN_FIELD)?.[1]
    if (!(await passesSpamGuard(req, res, formId, honeypot, token))) return 'answered'
    const submissionData = entries
      .filter(([name]) => name !== FORM_FIELD && name !== settings.honeypotField && name !== TOKEN_FIELD)
      .map(([field, value]) => ({ field, value }))
    replaceBodyWithJson(req, { form: formId, submissionData })
    if (wantsHtml(req)) {
      rewritePayloadAnswer(res, async (response) => {
        if (response.status === 201) {
          await response.body?.cancel()
          return confirmationAnswer(payload, req, formId)
        }
        if (response.status < 400) return response
        return new Response(errorPage(await messagesOf(response), refererOf(req)), {
          status: response.status,
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        })
      })
    }
    return 'next'
  }

  /**
   * A JSON document (`{form, submissionData}`) with the spam guard's fields beside them: checked and
   * taken out. Left as it arrived when it has none and none is required.
   */
  const guardDocument = async (
    req: ExpressRequest,
    res: ExpressResponse,
    document: Record<string, unknown>,
    rewrite: boolean,
  ): Promise<'next' | 'answered'> => {
    const { [settings.honeypotField]: honeypot, [TOKEN_FIELD]: token, ...rest } = document
    if (!rewrite && honeypot === undefined && token === undefined && settings.minFillSeconds === 0) return 'next'
    const formId = typeof rest.form === 'number' || typeof rest.form === 'string' ? String(rest.form) : undefined
    if (!(await passesSpamGuard(req, res, formId, honeypot, token))) return 'answered'
    replaceBodyWithJson(req, rest)
    return 'next'
  }

  /**
   * A filled honeypot is answered as if the form had been accepted, and nothing is stored or sent: a
   * bot learns nothing. A missing, forged, stale or too-early token is refused, with a message a
   * person can act on (reload, wait a moment).
   */
  const passesSpamGuard = async (
    req: ExpressRequest,
    res: ExpressResponse,
    formId: string | undefined,
    honeypot: unknown,
    token: unknown,
  ): Promise<boolean> => {
    if (honeypot !== undefined && honeypot !== null && honeypot !== '') {
      payload.logger.info({ url: req.path, form: formId }, 'form submission dropped: its honeypot field was filled')
      if (wantsHtml(req) && formId) {
        const answer = await confirmationAnswer(payload, req, formId)
        res.status(answer.status)
        answer.headers.forEach((value, name) => res.setHeader(name, value))
        res.end(Buffer.from(await answer.arrayBuffer()))
      } else {
        allowOrigin(req, res)
        res.status(201).set('Cache-Control', 'no-store').json({ message: CREATED_MESSAGE })
      }
      return false
    }
    if (settings.minFillSeconds > 0) {
      const verdict = checkFillToken(payload.secret, formId ?? '', token, settings.minFillSeconds)
      if (!verdict.ok) throw new Refusal(400, verdict.message)
    }
    return true
  }

  return (req, res, next) => {
    if (req.method !== 'POST' || req.path.replace(/\/+$/, '') !== route) return next()
    handle(req, res).then(
      (outcome) => {
        if (outcome === 'next') next()
      },
      (error: unknown) => {
        if (error instanceof Refusal) return refuse(req, res, error)
        next(error)
      },
    )
  }
}
