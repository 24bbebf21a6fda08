import { createHmac, timingSafeEqual } from 'node:crypto'

/** The field that carries the fill-time token, in every kind of body. */
export const TOKEN_FIELD = '_started'

/** A page left open longer than this must fetch a new token: one token is not a pass for ever. */
export const TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60

const signature = (secret: string, formId: string, issuedAt: number) =>
  createHmac('sha256', secret).update(`greenroom form started\n${formId}\n${issuedAt}`).digest('base64url')

/**
 * A fill-time token: when a page with the form was opened (as the server saw it), signed with the
 * server's secret and bound to one form, so that it can be neither made up nor moved to another form.
 * Nothing is stored: the token carries its own time.
 */
export const mintFillToken = (secret: string, formId: number | string, now = Date.now()) => {
  const issuedAt = Math.floor(now / 1000)
  return `${issuedAt}.${signature(secret, String(formId), issuedAt)}`
}

export type TokenVerdict = { ok: true } | { ok: false; message: string }

/** Whether a token was issued for this form by this server, at least `minSeconds` and at most a day ago. */
export const checkFillToken = (
  secret: string,
  formId: number | string,
  token: unknown,
  minSeconds: number,
  now = Date.now(),
): TokenVerdict => {
  if (typeof token !== 'string' || token === '') {
    return { ok: false, message: `This form needs its "${TOKEN_FIELD}" token: reload the page and send the form again.` }
  }
  const [issued, given] = token.split('.', 2)
  const issuedAt = Number(issued)
  const expected = Buffer.from(signature(secret, String(formId), issuedAt))
  const sent = Buffer.from(given ?? '')
  if (!/^\d{1,12}$/.test(issued) || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    return { ok: false, message: `The "${TOKEN_FIELD}" token is not one this server gave for this form: reload the page and send the form again.` }
  }
  const age = now / 1000 - issuedAt
  if (age > TOKEN_MAX_AGE_SECONDS) {
    return { ok: false, message: 'The page was opened more than a day ago: reload it and send the form again.' }
  }
  if (age < minSeconds) {
    return { ok: false, message: `The form was sent too quickly after the page opened: wait ${Math.ceil(minSeconds - age)} seconds and send it again.` }
  }
  return { ok: true }
}
