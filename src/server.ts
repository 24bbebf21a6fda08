import nextEnv from '@next/env'

// .env must be loaded before the Payload config is evaluated, hence the dynamic import below.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production')

const EXPECTED_ERRORS = new Set(['ConfigurationError', 'DatabaseUriError'])

try {
  const { startServer } = await import('./server/startServer')
  const server = await startServer()
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.payload.logger.info(`${signal} received: finishing open requests, then stopping`)
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error)
          process.exit(1)
        },
      )
    })
  }
} catch (error) {
  const expected = error instanceof Error && EXPECTED_ERRORS.has(error.name)
  console.error(`\nGreenroom could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  if (!expected) console.error(error)
  process.exit(1)
}
