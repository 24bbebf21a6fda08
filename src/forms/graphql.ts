import type { CollectionBeforeOperationHook } from 'payload'
import { APIError } from 'payload'

import type { FormSettings } from './settings'
import { TOKEN_FIELD } from './spamGuard'

/**
 * The spam guard reads its fields from REST bodies (./formPosts.ts); a GraphQL mutation has no place
 * for a fill-time token. When a token is required, GraphQL's createFormSubmission would be the way
 * around it, so it is refused.
 */
export const refuseTokenlessGraphqlSubmissions =
  (settings: FormSettings): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    if (operation === 'create' && settings.minFillSeconds > 0 && req.payloadAPI === 'GraphQL') {
      throw new APIError(
        `Form submissions need a "${TOKEN_FIELD}" token (FORM_MIN_FILL_SECONDS): send them to POST /api/form-submissions.`,
        400,
      )
    }
    return args
  }
