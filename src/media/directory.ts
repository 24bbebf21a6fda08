import path from 'node:path'

/** Where uploads live: `media/` beside the project unless MEDIA_DIR points elsewhere (a volume, say). */
export const mediaDirectory = path.resolve(process.env.MEDIA_DIR || 'media')
