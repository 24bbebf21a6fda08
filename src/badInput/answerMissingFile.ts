import fs from 'node:fs/promises'
import path from 'node:path'

import type { CollectionConfig } from 'payload'
import { headersWithCors } from 'payload'

type UploadHandler = NonNullable<Exclude<CollectionConfig['upload'], boolean | undefined>['handlers']>[number]

/**
 * Payload answers a request for a file that is not on disk with a 500 "Something went wrong." and
 * logs it as an error: for `/api/media/file/doesnotexist.png` that is a wrong URL, not a fault.
 * Upload handlers run before Payload's own file serving; this one answers 404 when the file is
 * missing and otherwise leaves the request to Payload.
 */
export const answerMissingFile =
  (staticDir: string): UploadHandler =>
  async (req, { params }) => {
    const directory = path.resolve(staticDir)
    const filePath = path.resolve(directory, params.filename)
    // Outside the folder: Payload refuses it with its own 400.
    if (!filePath.startsWith(directory + path.sep)) return undefined as unknown as Response
    let missing = false
    try {
      await fs.stat(filePath)
    } catch (error) {
      // Not there, or a name no file can have (a NUL byte, too long).
      missing = ['ENOENT', 'ENOTDIR', 'ENAMETOOLONG', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE'].includes(
        (error as NodeJS.ErrnoException).code ?? '',
      )
    }
    // Payload's handler type has no "not mine" answer, though Payload goes on to the next one on anything but a Response.
    if (!missing) return undefined as unknown as Response
    return Response.json(
      { errors: [{ message: `There is no file "${params.filename}" in ${params.collection}.` }] },
      { status: 404, headers: headersWithCors({ headers: new Headers({ 'Cache-Control': 'no-store' }), req }) },
    )
  }
