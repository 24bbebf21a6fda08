/**
 * The API reference page (Swagger UI at /api/docs): its scripts and styles come from this server
 * (swagger-ui-dist), it fetches the spec and "try it out" requests from this origin, and its icons
 * are data: URIs in the style sheet. No inline script or style is needed (test/e2e/apiDocs.test.ts
 * checks for violations in Chromium).
 */
const API_DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
/** API answers are data: they may not run or embed anything. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; img-src 'self'; style-src 'unsafe-inline'"
/** The admin panel is a Next app with inline scripts, so its policy only forbids framing by other sites. */
const PAGE_POLICY = "frame-ancestors 'self'; base-uri 'self'; object-src 'none'"

const COMMON: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['X-Frame-Options', 'SAMEORIGIN'],
]
const HSTS: [string, string] = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']

const withPolicy = (policy: string): [string, string][] => [...COMMON, ['Content-Security-Policy', policy]]
const HEADERS = {
  apiDocs: withPolicy(API_DOCS_POLICY),
  api: withPolicy(API_POLICY),
  page: withPolicy(PAGE_POLICY),
}
const HEADERS_OVER_HTTPS = {
  apiDocs: [...HEADERS.apiDocs, HSTS],
  api: [...HEADERS.api, HSTS],
  page: [...HEADERS.page, HSTS],
}

const kindOf = (path: string): keyof typeof HEADERS => {
  if (path === '/api/docs' || path.startsWith('/api/docs/')) return 'apiDocs'
  if (path.startsWith('/api/') && !path.startsWith('/api/graphql-playground')) return 'api'
  return 'page'
}

/** The headers every response to this path gets; HSTS only over HTTPS (a browser ignores it otherwise). */
export const securityHeadersFor = (path: string, https: boolean): readonly [string, string][] =>
  (https ? HEADERS_OVER_HTTPS : HEADERS)[kindOf(path)]
