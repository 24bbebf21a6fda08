import { ConfigurationError } from '../env'

/** Settings of build hooks, read once from the environment (documented in the README's Settings table). */
export type BuildHookSettings = {
  /** Targets on private, loopback and link-local networks are refused unless this is set. */
  allowPrivateTargets: boolean
  /** The longest a target may take to answer before the attempt counts as failed. */
  timeoutMs: number
  /** How long after the first failure a burst is still retried; then it is given up as failed. */
  retryForMs: number
  /** The first retry's wait; each further one doubles it. */
  firstRetryMs: number
}

const booleanFromEnv = (env: Record<string, string | undefined>, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigurationError(`${name} "${env[name]}" is neither true nor false.`)
}

const positiveNumberFromEnv = (env: Record<string, string | undefined>, name: string, fallback: number): number => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(`${name} "${raw}" is not a positive number.`)
  return value
}

export const buildHookSettingsFromEnv = (env: Record<string, string | undefined> = process.env): BuildHookSettings => ({
  allowPrivateTargets: booleanFromEnv(env, 'BUILD_HOOKS_ALLOW_PRIVATE_TARGETS', false),
  timeoutMs: positiveNumberFromEnv(env, 'BUILD_HOOKS_TIMEOUT_SECONDS', 10) * 1000,
  retryForMs: positiveNumberFromEnv(env, 'BUILD_HOOKS_RETRY_FOR_HOURS', 24) * 3_600_000,
  firstRetryMs: positiveNumberFromEnv(env, 'BUILD_HOOKS_FIRST_RETRY_SECONDS', 10) * 1000,
})

/**
 * How often the server looks for due deliveries: a six-field cron (seconds first, croner's syntax,
 * which Payload's autoRun uses). Every 5 s by default, so a 30 s debounce window means 30-35 s,
 * not up to 90 s as with Payload's once-a-minute default.
 */
export const buildHooksCronFromEnv = (env: Record<string, string | undefined> = process.env): string =>
  env.BUILD_HOOKS_CRON?.trim() || '*/5 * * * * *'
