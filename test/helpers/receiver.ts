import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Received = { path: string; headers: Record<string, string>; body: string; at: number; answered: number }

/**
 * A real HTTP server on 127.0.0.1 that records every request. `answer` decides the status per
 * request (default 200); `holdMs` delays the answer.
 */
export const startReceiver = async (answer: (request: Received, index: number) => number = () => 200) => {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request: Received = {
        path: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        answered: 0,
      }
      const status = answer(request, received.filter((r) => r.path === request.path).length)
      request.answered = status
      received.push(request)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `answer ${status}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path: string) => received.filter((r) => r.path === path || r.path.startsWith(`${path}?`)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

export const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, stepMs))
  }
  return false
}
