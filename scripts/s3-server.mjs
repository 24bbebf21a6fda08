// An S3-API server for tests and local trials: `node scripts/s3-server.mjs <port> <data dir>`, on
// 127.0.0.1, with the `media` bucket. It is @20minutes/s3rver, a maintained fork of s3rver (a Node
// S3 server on the file system): MinIO and other server binaries cannot be downloaded on CI's
// machines. It runs with `allowMismatchedSignatures`: current AWS SDKs sign bucket-level requests
// (list, batch delete) over a path that s3rver canonicalizes differently, and every such request
// would be refused; the requests themselves are real S3 API calls, only their signature goes unchecked.
import S3rver from '@20minutes/s3rver'

const [port, directory] = process.argv.slice(2)
if (!port || !directory) {
  console.error('usage: node scripts/s3-server.mjs <port> <data dir>')
  process.exit(2)
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  configureBuckets: [{ name: 'media' }],
})
await server.run()
console.log(`S3 API on http://127.0.0.1:${port} (data in ${directory})`)
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)))
