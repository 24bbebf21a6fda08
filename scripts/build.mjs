// `npm run build`: the production build (admin panel and server bundle), stamped with the sources
// it was made from so that `npm start` and the tests know it is current.
import { ensureProductionBuild } from './lib/build.mjs'

ensureProductionBuild(process.cwd(), console.log, { force: process.argv.includes('--force') }).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
