import type { RequestHandler } from 'express'

/**
 * The API reference page (Swagger UI at /api/docs): its scripts and styles come from this server
 * (swagger-ui-dist), it fetches the spec and "try it out" requests from this origin, and its icons
 * are data: URIs in the style sheet. No inline script or style is needed (test/e2e/apiDocs.test.ts
 * checks for violations in Chromium).
 */
const API_DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

const isApiDocs = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/')

/**
 * Headers every response gets. The admin panel is a Next app with inline scripts, so its policy
 * only forbids framing by other sites; API responses are data and may not run or embed anything.
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('X-Frame-Options', 'SAMEORIGIN')
  if (isApiDocs(req.path)) {
    res.setHeader('Content-Security-Policy', API_DOCS_POLICY)
  } else if (req.path.startsWith('/api/') && !req.path.startsWith('/api/graphql-playground')) {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; frame-ancestors 'none'; img-src 'self'; style-src 'unsafe-inline'",
    )
  } else {
    res.setHeader('Content-Security-Policy', "frame-ancestors 'self'; base-uri 'self'; object-src 'none'")
  }
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  next()
}
