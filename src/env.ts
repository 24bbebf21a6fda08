/** Start-up settings that must be right before anything else runs; each failure says how to fix it. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigurationError'
  }
}

const DEVELOPMENT_SECRET = 'greenroom-development-secret-not-for-production'
const MIN_SECRET_LENGTH = 32

const isNextBuild = (env: NodeJS.ProcessEnv) => env.NEXT_PHASE === 'phase-production-build'

/**
 * Payload signs sessions and hashes API keys with this secret, so production must have its own,
 * stable one. Development and tests fall back to a fixed secret; `next build` (which loads the
 * config but serves nothing) gets a placeholder, so images can be built without it.
 */
export const resolvePayloadSecret = (env: NodeJS.ProcessEnv = process.env): string => {
  const secret = env.PAYLOAD_SECRET?.trim()
  if (env.NODE_ENV !== 'production' || isNextBuild(env)) return secret || DEVELOPMENT_SECRET
  if (!secret) {
    throw new ConfigurationError(
      'PAYLOAD_SECRET is not set. In production Greenroom needs its own secret to sign sessions and API keys: ' +
        'set PAYLOAD_SECRET to a random string of at least 32 characters (e.g. `openssl rand -hex 32`), ' +
        'or run `npm start`, which writes one to .env on first use.',
    )
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(`PAYLOAD_SECRET is ${secret.length} characters long; use at least ${MIN_SECRET_LENGTH}.`)
  }
  if (secret === DEVELOPMENT_SECRET) {
    throw new ConfigurationError('PAYLOAD_SECRET is the development secret; set a secret of your own for production.')
  }
  return secret
}

/** Comma-separated origins, e.g. "https://www.example.com,https://preview.example.com". */
export const parseOrigins = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean)

const ALL_OR_LOOPBACK = new Set(['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'])

/**
 * Where the server is reached when PUBLIC_SERVER_URL is unset: http on PORT (3000) at HOST
 * (127.0.0.1), and at localhost and 127.0.0.1 when it listens on loopback or on every interface (a
 * container's published port). Payload accepts the session cookie from any origin while its CSRF
 * list is empty, so this list is never empty; another name needs PUBLIC_SERVER_URL or CSRF_ORIGINS.
 */
export const localServerOrigins = (env: Record<string, string | undefined>): string[] => {
  const port = env.PORT?.trim() || '3000'
  const host = env.HOST?.trim() || '127.0.0.1'
  const hosts = ['localhost', '127.0.0.1', '[::1]']
  if (!ALL_OR_LOOPBACK.has(host)) hosts.unshift(host.includes(':') ? `[${host}]` : host)
  return hosts.map((name) => `http://${name}${port === '80' ? '' : `:${port}`}`)
}

/**
 * The absolute address of this server for URLs in answers (media files, the SDL, feeds' self links):
 * PUBLIC_SERVER_URL, else the first local origin (http://localhost:PORT). Never the request's Host
 * header: answers are stored and shared between readers, and a forged Host would poison them.
 */
export const publicServerUrl = (env: Record<string, string | undefined>): string =>
  env.PUBLIC_SERVER_URL?.trim().replace(/\/+$/, '') || localServerOrigins(env)[0]

/** A whole-number setting from the environment, its default when unset; anything else refuses to start. */
export const wholeNumberFromEnv = (env: Record<string, string | undefined>, name: string, fallback: number, min = 0): number => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} "${raw}" is not a whole number of at least ${min}.`)
  }
  return value
}
