import type { RequestHandler } from 'express'

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
  if (req.path.startsWith('/api/') && !req.path.startsWith('/api/graphql-playground')) {
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; img-src 'self'; style-src 'unsafe-inline'")
  } else {
    res.setHeader('Content-Security-Policy', "frame-ancestors 'self'; base-uri 'self'; object-src 'none'")
  }
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  next()
}
