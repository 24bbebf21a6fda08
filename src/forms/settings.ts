import { ConfigurationError, wholeNumberFromEnv } from '../env'

export type FormSettings = {
  /** The hidden field a person leaves empty and a form-filling bot fills in. */
  honeypotField: string
  /**
   * Seconds a submission must come after its fill-time token was issued; 0: no token is asked for.
   * The token is the `_started` field (see ./spamGuard.ts).
   */
  minFillSeconds: number
  /** How often a server looks for form emails to send (six-field cron, seconds first). */
  emailsCron: string
  /** The wait before a failed email's first retry; each further retry waits twice as long. */
  emailFirstRetrySeconds: number
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/

export const formSettingsFromEnv = (env: Record<string, string | undefined> = process.env): FormSettings => {
  const honeypotField = env.FORM_HONEYPOT_FIELD?.trim() || '_gotcha'
  if (!FIELD_NAME.test(honeypotField)) {
    throw new ConfigurationError(`FORM_HONEYPOT_FIELD "${honeypotField}" is not a field name (letters, digits, _ and -).`)
  }
  return {
    honeypotField,
    minFillSeconds: wholeNumberFromEnv(env, 'FORM_MIN_FILL_SECONDS', 0, 0),
    emailsCron: env.FORM_EMAILS_CRON?.trim() || '*/5 * * * * *',
    emailFirstRetrySeconds: wholeNumberFromEnv(env, 'FORM_EMAIL_FIRST_RETRY_SECONDS', 30, 1),
  }
}
