// The server entry. No top-level await: a module graph that is still awaiting when the event loop
// runs dry makes Node exit with code 13 and no message, which hides real start-up errors.
import './server/loadEnv'

import { startServer } from './server/startServer'

const EXPECTED_ERRORS = new Set(['ConfigurationError', 'DatabaseUriError'])

const reportAndExit = (error: unknown) => {
  const expected = error instanceof Error && EXPECTED_ERRORS.has(error.name)
  console.error(`\nGreenroom could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  if (!expected) console.error(error)
  process.exit(1)
}

const starting = startServer()

// Installed before start-up finishes, so a stop signal during start-up still stops cleanly.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    starting
      .then(async (server) => {
        server.payload.logger.info(`${signal} received: finishing open requests, then stopping`)
        await server.close()
        process.exit(0)
      })
      .catch((error: unknown) => {
        console.error(error)
        process.exit(1)
      })
  })
}

starting.catch(reportAndExit)
