// Child process of `npm run bench`: the ceiling. A bare node:http server that answers each recorded
// request with the exact bytes and content-type Greenroom sent, from memory, so the same load shows
// what this machine's HTTP stack can do with no CMS work at all. It runs in a process of its own,
// like Greenroom, so it does not share an event loop with the load generator.
// argv[2]: JSON file of routes; prints {"port": n} on stdout once listening.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type CeilingRoute = { method: string; path: string; contentType: string; bodyBase64: string }

const routesFile = process.argv[2]
if (!routesFile) throw new Error('usage: bench/child/ceiling.ts <routes.json>')

const routes = new Map(
  (JSON.parse(fs.readFileSync(routesFile, 'utf8')) as CeilingRoute[]).map((route) => [
    `${route.method} ${route.path}`,
    { contentType: route.contentType, body: Buffer.from(route.bodyBase64, 'base64') },
  ]),
)

const server = http.createServer((req, res) => {
  const route = routes.get(`${req.method} ${req.url}`)
  // The request body (GraphQL's query) is read to the end, as any real server must, then ignored.
  req.resume()
  req.on('end', () => {
    if (!route) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': route.contentType, 'content-length': route.body.length })
    res.end(route.body)
  })
})

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})
