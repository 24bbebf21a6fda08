import os from 'node:os'
import path from 'node:path'

// Every test file gets its own SQLite file and media folder, so files can run in parallel.
const id = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`
const dir = path.join(os.tmpdir(), 'greenroom-tests', id)
process.env.DATABASE_URI ||= `file:${path.join(dir, 'test.db')}`
process.env.MEDIA_DIR ||= path.join(dir, 'media')
process.env.SEED_DEMO_CONTENT = 'false'
process.env.JOBS_AUTORUN = 'false'
process.env.LOG_LEVEL ||= 'warn'
