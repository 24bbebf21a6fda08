import path from 'node:path'
import { parseArgs } from 'node:util'

import type { Payload } from 'payload'

import { closePayload } from '../db/closePayload'
import { BackupError } from './manifest'
import { createProgressBar } from './progress'
import type { ProgressListener } from './progress'

/** A command line the command cannot run with: exit code 2, with the usage. */
export class UsageError extends Error {}

type ParseArgsConfig = Parameters<typeof parseArgs>[0]

/** node:util parseArgs, with its complaints turned into usage errors. */
export const parseCommandLine = <T extends ParseArgsConfig>(argv: string[], config: T) => {
  try {
    return parseArgs({ ...config, args: argv, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** npm runs scripts from the project root; a relative path on the command line means the folder it was typed in. */
export const resolveFromInvocation = (target: string): string => path.resolve(process.env.INIT_CWD || process.cwd(), target)

export const DATABASE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL', mongodb: 'MongoDB' } as const

/**
 * Runs a backup command: usage errors exit 2, refusals and failures exit 1 with a message (a stack
 * trace only for the unexpected), success exits 0. Payload is always shut down.
 */
export const runCommand = async (
  usage: string,
  main: (open: () => Promise<Payload>, progress: (label: string) => { update: ProgressListener; finish: () => void }) => Promise<void>,
): Promise<never> => {
  let payload: Payload | undefined
  let code = 0
  try {
    await main(
      async () => {
        // Loaded only now: the config needs a valid environment, `--help` does not.
        const [{ default: config }, { getPayload }] = await Promise.all([import('@payload-config'), import('payload')])
        payload = await getPayload({ config })
        return payload
      },
      (label) => createProgressBar(process.stderr, { label }),
    )
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`)
      code = 2
    } else {
      console.error(error instanceof BackupError ? error.message : error)
      code = 1
    }
  } finally {
    if (payload) await closePayload(payload)
  }
  // A command may set process.exitCode for an outcome that is not a failure (an interrupted run).
  process.exit(code || Number(process.exitCode ?? 0))
}
