export const LINK_CHECK_MODES = ['warn', 'block', 'off'] as const
export type LinkCheckMode = (typeof LINK_CHECK_MODES)[number]

/**
 * LINK_CHECKS: `warn` (default) lets a publish with broken links through and lists them on the
 * document; `block` refuses it with a 400 that names them; `off` checks nothing. Read on every check
 * (it is one string compare) so tests and a restarted server agree; a wrong value stops the start,
 * since the config calls this once when it is built.
 */
export const linkChecksMode = (env: Record<string, string | undefined> = process.env): LinkCheckMode => {
  const value = (env.LINK_CHECKS ?? '').trim().toLowerCase() || 'warn'
  if (!(LINK_CHECK_MODES as readonly string[]).includes(value)) {
    throw new Error(`LINK_CHECKS must be one of ${LINK_CHECK_MODES.join(', ')}; it is "${env.LINK_CHECKS}".`)
  }
  return value as LinkCheckMode
}
