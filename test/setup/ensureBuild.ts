// Global setup of the projects that talk to a running server: make sure the production build
// matches the sources (CI has just built it, so this is a check there; locally it builds).
import { ensureProductionBuild } from '../../scripts/lib/build.mjs'

export default async function ensureBuild() {
  await ensureProductionBuild(process.cwd(), (message: string) => console.log(`\n${message}`))
}
