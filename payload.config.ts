import path from 'node:path'

import { nodemailerAdapter } from '@payloadcms/email-nodemailer'
import type { Config } from 'payload'
import { buildConfig } from 'payload'
import { build as prettyLogStream } from 'pino-pretty'
import sharp from 'sharp'

import { closePayloadInternalGlobals } from './src/access/payloadInternalGlobals'
import { readOnlyApiKeys } from './src/access/readOnlyApiKeys'
import { editorialRole } from './src/access/roles'
import { Categories } from './src/collections/Categories'
import { Media } from './src/collections/Media'
import { Pages } from './src/collections/Pages'
import { Posts } from './src/collections/Posts'
import { Users } from './src/collections/Users'
import { createDatabaseAdapter, parseDatabaseUri } from './src/db/databaseAdapter'
import { localServerOrigins, parseOrigins, resolvePayloadSecret } from './src/env'
import { defaultLexical } from './src/fields/lexical'
import { graphqlLimitsFromEnv, graphqlValidationRules } from './src/graphql/guards'
import { graphqlSchemaEndpoint } from './src/graphql/schemaEndpoint'
import { Footer } from './src/globals/Footer/config'
import { Header } from './src/globals/Header/config'
import { SiteSettings } from './src/globals/SiteSettings/config'
import { answerDatabaseUnavailable } from './src/hooks/answerDatabaseUnavailable'
import { apiReferenceEndpoints } from './src/openapi/endpoints'
import { plugins } from './src/plugins'
import { guardPreviewSessions } from './src/preview/guard'
import { livePreviewForGlobals, previewTokenEndpoint } from './src/preview/mint'
import { applyReaderPolicy } from './src/readerPolicy/enforce'
import { readerPolicyFromEnv } from './src/readerPolicy/policy'
import { requestIdMixin } from './src/server/requestContext'
import { syncEndpoint } from './src/sync/endpoint'
import { copyPlain } from './src/utilities/copyPlain'

// Every entry point (npm scripts, the server, the CLI, tests) runs from the project root; the config
// is also evaluated from compiled copies (dist/, .next/), where its own file location would mislead.
const projectRoot = process.cwd()

const serverURL = process.env.PUBLIC_SERVER_URL?.replace(/\/+$/, '') || undefined
const withServerURL = (origins: string[]) => [...new Set([...(serverURL ? [serverURL] : []), ...origins])]
const corsOrigins = withServerURL(parseOrigins(process.env.CORS_ORIGINS))
// Read here so that a wrong value stops the start, not the first query.
const graphqlLimits = graphqlLimitsFromEnv()
// Origins whose pages may use an editor's session cookie; by default the same as CORS_ORIGINS. The
// server's own origin is always one: with an empty list Payload takes the cookie from any origin.
const csrfOrigins = [
  ...new Set([
    ...(serverURL ? [serverURL] : localServerOrigins(process.env)),
    ...parseOrigins(process.env.CSRF_ORIGINS ?? process.env.CORS_ORIGINS),
  ]),
]

const smtpEmail = () =>
  nodemailerAdapter({
    defaultFromAddress: process.env.EMAIL_FROM_ADDRESS || 'cms@greenroom.local',
    defaultFromName: process.env.EMAIL_FROM_NAME || 'Greenroom',
    transportOptions: {
      host: process.env.SMTP_HOST,
      port: Number(process.env.SMTP_PORT || 587),
      secure: process.env.SMTP_SECURE === 'true',
      auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } : undefined,
    },
  })

const logLevel = process.env.LOG_LEVEL || 'info'

const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'de', label: 'Deutsch' },
]

// Read here so that a wrong value stops the start; applied to the whole config below, and to /api/sync.
const readerPolicy = readerPolicyFromEnv(process.env, LOCALES.map(({ code }) => code))

// Parsed here, so that a wrong DATABASE_URI stops the start; the one adapter it needs is loaded with the config below.
const database = createDatabaseAdapter(parseDatabaseUri(process.env.DATABASE_URI))

/**
 * The configuration as written, but for its database adapter (loaded on demand: see createDatabaseAdapter).
 * Payload sanitizes a config in place, so it is built from a copy: this one stays as written, for tests
 * that build a variant (the schema before localization).
 */
export const greenroomConfig: Omit<Config, 'db'> = {
  // Readable lines on a terminal; LOG_FORMAT=json for log collectors (the Docker image sets it).
  // Every line written while a request is served names it (`reqId`, src/server/requestContext.ts).
  logger:
    process.env.LOG_FORMAT === 'json'
      ? { options: { level: logLevel, mixin: requestIdMixin } }
      : {
          options: { level: logLevel, mixin: requestIdMixin },
          destination: prettyLogStream({ colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }),
        },
  secret: resolvePayloadSecret(),
  serverURL,
  cors: corsOrigins,
  csrf: csrfOrigins,
  admin: {
    user: Users.slug,
    // Payload's default avatar is Gravatar: a request to a third party, with a hash of the email.
    avatar: 'default',
    importMap: { baseDir: path.resolve(projectRoot, 'src') },
    meta: { titleSuffix: ' · Greenroom' },
    // Live preview of the header, footer and site settings; posts and pages configure their own (src/preview/).
    livePreview: livePreviewForGlobals,
  },
  // Editors translate texts; structure, media, dates and relations are shared by both languages.
  // A reader's `?locale=de` gets German where it exists and English where it does not.
  localization: {
    locales: LOCALES.map(({ code, label }) => ({ code, label })),
    defaultLocale: 'en',
    fallback: true,
  },
  collections: [Posts, Pages, Categories, Media, Users],
  globals: [Header, Footer, SiteSettings],
  editor: defaultLexical,
  sharp,
  plugins,
  // /api/openapi.json and the API reference at /api/docs. Later root endpoints go here too, each with
  // `custom.openapi` documentation (test/http/openapi.test.ts fails for a route the spec lacks).
  endpoints: [...apiReferenceEndpoints, graphqlSchemaEndpoint, syncEndpoint(readerPolicy), previewTokenEndpoint],
  hooks: {
    afterError: [answerDatabaseUnavailable],
  },
  // A wrong password and a throttled sign-in are the client's doing: warnings, not errors.
  // (LoginThrottled is Greenroom's own error, src/collections/Users/hooks/loginProtection.ts; Payload's type lists only its own names.)
  loggingLevels: { AuthenticationError: 'warn', LoginThrottled: 'warn' } as Config['loggingLevels'],
  onInit: async (payload) => {
    // Payload's MongoDB adapter turns transactions off when the connection is not to a replica set.
    if (payload.db.name === 'mongoose' && (payload.db as { transactionOptions?: unknown }).transactionOptions === false) {
      payload.logger.warn(
        'MongoDB is not a replica set: writes run without transactions, so a failing hook can leave a write half-done. ' +
          'Use a replica set (see docker-compose.yml) or a hosted cluster, and name it in DATABASE_URI (?replicaSet=rs0).',
      )
    }
  },
  // Without SMTP settings Payload prints outgoing mail to the log instead of sending it.
  email: process.env.SMTP_HOST ? smtpEmail() : undefined,
  graphQL: {
    disablePlaygroundInProduction: true,
    // The guards' cost rule (GRAPHQL_MAX_COMPLEXITY) is Payload's estimate plus what a root field
    // costs; Payload's own limit, which counts a root field as 1, would only repeat its refusals.
    maxComplexity: Number.MAX_SAFE_INTEGER,
    // The SDL that `npm run generate:graphql-schema` writes and CI checks; served at /api/graphql/schema.graphql.
    schemaOutputFile: path.resolve(projectRoot, 'schema.graphql'),
    validationRules: ({ variableValues }) => graphqlValidationRules(graphqlLimits, variableValues),
  },
  jobs: {
    access: {
      queue: ({ req }) => editorialRole(req.user) !== null,
      cancel: ({ req }) => editorialRole(req.user) !== null,
      run: ({ req }) => editorialRole(req.user) === 'admin',
    },
    // Runs scheduled publishing (and later jobs) inside the server process, once a minute; the
    // build-hooks plugin adds its own queue, run every few seconds (src/buildHooks/index.ts). With
    // JOBS_AUTORUN=false the process has none of these crons (src/jobs/runsHere.ts).
    autoRun: [{ cron: '* * * * *', queue: 'default', limit: 20 }],
    // Payload 3 claims jobs by a find and then an update, with no lock between them, so two servers on
    // one database could run the same job; src/jobs/claimJobsOnce.ts takes each found job with one
    // conditional update. Before that, when Payload deleted a completed job, the other server's
    // update of it threw inside a transaction Payload never rolls back (updateJobs in
    // payload/dist/queues/utilities/updateJob.js), and each such race kept a pooled connection
    // until requests answered 503. Completed jobs are kept and removed an hour later instead
    // (src/buildHooks/recovery.ts); build deliveries claim their own rows (src/buildHooks/claim.ts).
    deleteJobOnComplete: false,
  },
  typescript: {
    // In development Payload regenerates the types on start. Elsewhere (tests, production) that
    // would spawn a CLI process per start; CI checks the committed types instead.
    autoGenerate: process.env.NODE_ENV === 'development',
    outputFile: path.resolve(projectRoot, 'src/payload-types.ts'),
  },
  telemetry: false,
}

// After sanitizing, when Payload's own collections, globals and endpoints exist too: Payload's own
// globals are Payload's to write (src/access/payloadInternalGlobals.ts), API keys change nothing
// (src/access/readOnlyApiKeys.ts), what readers may read and ask for (src/readerPolicy), and a preview
// token reads its one document and nothing else (src/preview/guard.ts).
export default database
  .then((db) => buildConfig(copyPlain({ ...greenroomConfig, db })))
  .then(closePayloadInternalGlobals)
  .then(readOnlyApiKeys)
  .then(applyReaderPolicy(readerPolicy))
  .then(guardPreviewSessions)
