// `npm run bench:hostile`: what oversized bodies and costly images do to a production server (issue 11,
// findings 3 and 6). Starts the built server on a throw-away SQLite file and, one at a time, sends
// an anonymous 100 MB JSON form submission (with a Content-Length, then chunked), a 16000×16000 PNG
// and a 1,500-frame GIF uploaded by the admin, and a legitimate 24-megapixel photo while /healthz is
// polled. For each: status, wall time, the server's CPU time and RSS growth (peak), and how much the
// database files grew. Environment: HOSTILE_JSON_MB (100), HOSTILE_GIF_FRAMES (1500).
import fs from 'node:fs'
import http from 'node:http'

import sharp from 'sharp'

import { ensureProductionBuild } from '../scripts/lib/build.mjs'
import { TEST_ADMIN, startTestServer } from '../test/helpers/server'

const JSON_MB = Number(process.env.HOSTILE_JSON_MB || 100)
const GIF_FRAMES = Number(process.env.HOSTILE_GIF_FRAMES || 1500)

type Probe = { rssKb: number; hwmKb: number; cpuMs: number }

const probe = (pid: number): Probe => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  // utime and stime, fields 14 and 15 of /proc/pid/stat, in clock ticks (100 per second on Linux).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), cpuMs: (Number(stat[11]) + Number(stat[12])) * 10 }
}

/** Resets the peak RSS counter so that each case reports its own peak (Linux: write 5 to clear_refs). */
const resetPeak = (pid: number) => {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5')
  } catch {
    // not allowed: the peak then spans the run so far
  }
}

const databaseBytes = (file: string) =>
  ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0)

type Sent = { status: number; body: string }

/** A request through node:http, so that a body can be streamed without a Content-Length (chunked). */
const send = (url: string, method: string, headers: Record<string, string>, write: (req: http.ClientRequest) => void) =>
  new Promise<Sent>((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    // A server that answers early and closes may make the rest of the upload fail: the answer counts.
    req.on('error', reject)
    write(req)
  })

/** The 100 MB submission, written in 1 MB pieces as the server takes them. */
const writeBigJson = (formId: number, chunked: boolean) => {
  const head = Buffer.from(`{"form":${formId},"submissionData":[{"field":"message","value":"`)
  const tail = Buffer.from('"}]}')
  const piece = Buffer.alloc(1024 * 1024, 'x')
  const total = head.length + JSON_MB * piece.length + tail.length
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (!chunked) headers['content-length'] = String(total)
  const write = (req: http.ClientRequest) => {
    let sent = 0
    const pump = () => {
      if (sent === 0) req.write(head)
      while (sent < JSON_MB) {
        sent++
        if (!req.write(piece)) return void req.once('drain', pump)
      }
      if (sent === JSON_MB) req.end(tail)
      else req.end()
    }
    // A client that sees the answer stops sending, as curl and browsers do.
    req.on('response', () => (sent = JSON_MB + 1))
    req.on('close', () => (sent = JSON_MB + 1))
    pump()
  }
  return { headers, write }
}

const multipart = (file: Buffer, filename: string, type: string, data: Record<string, unknown>) => {
  const boundary = `----greenroom${Date.now()}`
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_payload"\r\n\r\n${JSON.stringify(data)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

const main = async () => {
  await ensureProductionBuild(process.cwd(), console.log)
  const server = await startTestServer({ seed: true, env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_FORM_SUBMISSIONS: '0' } })
  const pid = server.process.pid as number
  const dbFile = server.databaseUri.replace(/^file:/, '')
  const rows: string[] = []
  const measure = async (label: string, run: () => Promise<Sent>) => {
    resetPeak(pid)
    const before = probe(pid)
    const dbBefore = databaseBytes(dbFile)
    const started = performance.now()
    let outcome: string
    try {
      const { status, body } = await run()
      outcome = `${status} ${body.slice(0, 140).replace(/\s+/g, ' ')}`
    } catch (error) {
      outcome = `request failed: ${(error as Error).message}`
    }
    const seconds = (performance.now() - started) / 1000
    await new Promise((resolve) => setTimeout(resolve, 500))
    const after = probe(pid)
    const row =
      `| ${label} | ${outcome} | ${seconds.toFixed(2)} s | ${((after.cpuMs - before.cpuMs) / 1000).toFixed(1)} s | ` +
      `+${Math.round((after.hwmKb - before.rssKb) / 1024)} MB | +${((databaseBytes(dbFile) - dbBefore) / 1024 / 1024).toFixed(1)} MB |`
    rows.push(row)
    console.log(row)
  }

  try {
    const login = await fetch(`${server.url}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    })
    const auth = `JWT ${(await login.json()).token}`
    const forms = await (await fetch(`${server.url}/api/forms?limit=1`)).json()
    const formId = forms.docs[0].id as number

    for (const chunked of [false, true]) {
      const { headers, write } = writeBigJson(formId, chunked)
      await measure(`${JSON_MB} MB JSON form submission, anonymous${chunked ? ', chunked' : ''}`, () =>
        send(`${server.url}/api/form-submissions`, 'POST', headers, write),
      )
    }

    const upload = (file: Buffer, name: string, type: string) => {
      const { body, contentType } = multipart(file, name, type, { alt: name })
      return send(
        `${server.url}/api/media`,
        'POST',
        { authorization: auth, 'content-type': contentType, 'content-length': String(body.length) },
        (req) => req.end(body),
      )
    }
    const png = await sharp({ create: { width: 16000, height: 16000, channels: 3, background: '#3a6' } })
      .png({ compressionLevel: 9, palette: true })
      .toBuffer()
    await measure(`16000×16000 PNG (${Math.round(png.length / 1024)} KB), admin`, () => upload(png, 'huge.png', 'image/png'))

    const frames = await Promise.all(
      Array.from({ length: GIF_FRAMES }, (_, i) =>
        sharp({ create: { width: 160, height: 120, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: (i * 13) % 256 } } })
          .png()
          .toBuffer(),
      ),
    )
    const gif = await sharp(frames, { join: { animated: true } }).gif({ delay: 40 }).toBuffer()
    await measure(`${GIF_FRAMES}-frame 160×120 GIF (${Math.round(gif.length / 1024)} KB), admin`, () =>
      upload(gif, 'frames.gif', 'image/gif'),
    )

    // A legitimate large photo: noise, so that it compresses like one.
    const noise = Buffer.alloc(6000 * 4000 * 3)
    for (let i = 0; i < noise.length; i++) noise[i] = Math.imul(i, 2654435761) >>> 24
    const photo = await sharp(noise, { raw: { width: 6000, height: 4000, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()
    const pollHealth = () => {
      let slowest = 0
      let polls = 0
      let running = true
      const done = (async () => {
        while (running) {
          const t = performance.now()
          await fetch(`${server.url}/healthz`)
          slowest = Math.max(slowest, performance.now() - t)
          polls++
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      })()
      return async () => {
        running = false
        await done
        return `${polls} polls, slowest ${slowest.toFixed(0)} ms`
      }
    }
    // The machine's own noise first: /healthz polled as long, with nothing else going on.
    let stop = pollHealth()
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const idle = await stop()
    stop = pollHealth()
    await measure(`6000×4000 JPEG (${Math.round(photo.length / 1024 / 1024)} MB), admin`, () =>
      upload(photo, 'photo.jpg', 'image/jpeg'),
    )
    rows.push(`/healthz during the 24 MP upload: ${await stop()}; idle for 3 s: ${idle}`)
    console.log(rows.at(-1))
  } finally {
    await server.stop()
  }
  console.log(
    ['', '| case | answer | time | server CPU | server RSS (peak growth) | database growth |', '|---|---|---|---|---|---|', ...rows].join(
      '\n',
    ),
  )
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)

