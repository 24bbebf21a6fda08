import type { PayloadRequest } from 'payload'

import type { PreviewClaims, PreviewTarget } from './token'

export const PREVIEW_STRATEGY = 'preview-token'
/** The Authorization scheme a front end sends its token with: `Authorization: Preview <token>`. */
export const PREVIEW_SCHEME = 'Preview'

type MaybeUser = PayloadRequest['user'] | undefined

/** A user signed in by a preview token: its minter, marked so that it gets none of their rights. */
export type PreviewUser = NonNullable<PayloadRequest['user']> & {
  _strategy: typeof PREVIEW_STRATEGY
  _preview: Pick<PreviewClaims, 'target' | 'tokenId' | 'expiresAt' | 'locale'>
}

export const isPreviewSession = (user: MaybeUser): user is PreviewUser =>
  (user as { _strategy?: string } | null | undefined)?._strategy === PREVIEW_STRATEGY

export const previewTargetOf = (user: MaybeUser): PreviewTarget | undefined =>
  isPreviewSession(user) ? user._preview.target : undefined

export const isCollectionTarget = (target: PreviewTarget): target is { collection: string; id: string } => 'collection' in target

/** Whether a preview session's target is this collection (any of its documents) or this global. */
export const targetsEntity = (user: MaybeUser, entity: { collection?: string; global?: string }): boolean => {
  const target = previewTargetOf(user)
  if (!target) return false
  return isCollectionTarget(target) ? target.collection === entity.collection : target.global === entity.global
}

/**
 * What happened to a request that carried a preview token. Kept beside the request (Payload builds
 * its PayloadRequest on the very Request the HTTP layer handed it, so the HTTP layer finds it after
 * Payload answered, src/server/payloadApi.ts), never on the user, which Payload copies.
 *
 * - `refused`: the token itself was refused (expired, altered, another audience, its editor gone):
 *   the strategy found nobody, and the answer is 401 whatever the route would have said;
 * - `elsewhere`: a valid token used for something other than reading its own target;
 * - `readTarget`: the request read its target, the one thing the token is for.
 */
type PreviewState = { refused?: string; elsewhere?: string; readTarget?: boolean }

// A property of the request itself, not a WeakMap keyed by it: Payload's GraphQL resolvers hand
// operations a proxy of the request (isolateObjectProperty), which reads and writes this through.
const STATE = Symbol.for('greenroom.preview')
type WithState = { [STATE]?: PreviewState }

const peek = (req: object): PreviewState | undefined => (req as WithState)[STATE]

const stateOf = (req: object): PreviewState => {
  let state = peek(req)
  if (!state) {
    state = {}
    Object.defineProperty(req, STATE, { value: state, enumerable: false, configurable: true })
  }
  return state
}

export const markPreviewRefused = (req: object, message: string) => {
  stateOf(req).refused = message
}

export const markUsedElsewhere = (req: object, message: string) => {
  stateOf(req).elsewhere ??= message
}

/**
 * The request objects that are reading their target, by identity: server code reading during that
 * read (an archive block's posts) is handed the same object, while each GraphQL root field gets a
 * proxy of its own, so a second root field beside the target's is not taken for part of it.
 */
const readingTarget = new WeakSet<object>()

export const markReadingTarget = (req: object) => {
  readingTarget.add(req)
}

export const markReadTarget = (req: object) => {
  stateOf(req).readTarget = true
}

export const isReadingTarget = (req: object) => readingTarget.has(req)

export const wasPreviewRefused = (req: object): boolean => Boolean(peek(req)?.refused)

export const NOT_THE_TARGET =
  'A preview token reads the drafts of its one document and nothing else; this request asks for something else. ' +
  'Read other content without it, as the public does.'

/**
 * The 401 a request's preview token earns, if any: a refused token, or a valid one used for anything
 * but reading its own target. Decided once Payload has answered; undefined for every other request.
 */
export const previewRefusalOf = (req: object, user: MaybeUser): string | undefined => {
  const state = peek(req)
  if (state?.refused) return state.refused
  if (!isPreviewSession(user)) return undefined
  if (state?.elsewhere) return state.elsewhere
  return state?.readTarget ? undefined : NOT_THE_TARGET
}
