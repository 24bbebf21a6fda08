import { checkTarget, isPrivateAddress } from '../../src/buildHooks/targets'

test.each([
  ['127.0.0.1', true],
  ['10.20.30.40', true],
  ['172.16.0.1', true],
  ['172.31.255.255', true],
  ['192.168.1.1', true],
  ['169.254.169.254', true],
  ['100.64.0.1', true],
  ['0.0.0.0', true],
  ['::1', true],
  ['::', true],
  ['fe80::1', true],
  ['fd00::1', true],
  ['::ffff:127.0.0.1', true],
  ['::ffff:10.0.0.1', true],
  ['::ffff:7f00:1', true],
  ['::ffff:a9fe:a9fe', true],
  ['not an address', true],
  ['8.8.8.8', false],
  ['172.32.0.1', false],
  ['1.1.1.1', false],
  ['2606:4700:4700::1111', false],
  ['::ffff:8.8.8.8', false],
  ['::ffff:808:808', false],
])('%s is private: %s', (address, expected) => {
  expect(isPrivateAddress(address)).toBe(expected)
})

test('targets are checked by shape, then by the addresses they resolve to', async () => {
  expect(await checkTarget('ftp://example.com/', true)).toMatch(/https/)
  expect(await checkTarget('not a url', true)).toMatch(/not a valid/)
  expect(await checkTarget('https://user:pass@example.com/', true)).toMatch(/credentials/)
  expect(await checkTarget('http://127.0.0.1:9/', true)).toBeNull()
  expect(await checkTarget('http://127.0.0.1:9/', false)).toMatch(/BUILD_HOOKS_ALLOW_PRIVATE_TARGETS/)
  expect(await checkTarget('http://localhost:9/', false)).toMatch(/private/)
  expect(await checkTarget('http://[::1]:9/', false)).toMatch(/private/)
  expect(await checkTarget('http://[::ffff:127.0.0.1]:9/', false)).toMatch(/private/)
  expect(await checkTarget('https://203.0.113.10/', false)).toBeNull()
})
