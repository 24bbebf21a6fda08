// Child process of `npm run bench`: the ceiling. A bare node:http server that answers each recorded
// request with the exact status, headers and bytes Greenroom sent, from memory, so the same load
// shows what this machine's HTTP stack can do with no CMS work at all. It runs in a process of its
// own, like Greenroom, so it does not share an event loop with the load generator.
// argv[2]: JSON file of routes; prints {"port": n} on stdout once listening.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type CeilingRoute = {
  method: string
  path: string
  /** Routes with the same method and path differ by the If-None-Match they answer (304) or not. */
  ifNoneMatch?: string
  status: number
  headers: Record<string, string>
  bodyBase64: string
}

const routesFile = process.argv[2]
if (!routesFile) throw new Error('usage: bench/child/ceiling.ts <routes.json>')

const routeKey = (method: string, path: string, ifNoneMatch: string | undefined) =>
  `${method} ${path} ${ifNoneMatch ?? ''}`

const routes = new Map(
  (JSON.parse(fs.readFileSync(routesFile, 'utf8')) as CeilingRoute[]).map((route) => [
    routeKey(route.method, route.path, route.ifNoneMatch),
    { status: route.status, headers: route.headers, body: Buffer.from(route.bodyBase64, 'base64') },
  ]),
)

const server = http.createServer((req, res) => {
  const ifNoneMatch = req.headers['if-none-match']
  const route = routes.get(
    routeKey(req.method ?? 'GET', req.url ?? '/', Array.isArray(ifNoneMatch) ? ifNoneMatch[0] : ifNoneMatch),
  )
  // The request body (GraphQL's query) is read to the end, as any real server must, then ignored.
  req.resume()
  req.on('end', () => {
    if (!route) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(route.status, { ...route.headers, 'content-length': route.body.length })
    res.end(route.body)
  })
})

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})
