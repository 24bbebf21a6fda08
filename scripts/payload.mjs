// Payload's CLI (`npm run payload -- <command>`): what node_modules/payload/bin.js does, with
// Lexical loaded first, one module at a time (see preload-lexical.mjs), and the event loop held
// open while the command's modules load through tsx's loader thread.
import './preload-lexical.mjs'

import { tsImport } from 'tsx/esm/api'

const keepAlive = setInterval(() => {}, 60_000)
const binUrl = new URL('../node_modules/payload/dist/bin/index.js', import.meta.url)

tsImport(binUrl.href, import.meta.url)
  .then(({ bin }) => bin())
  .then(
    () => clearInterval(keepAlive),
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
