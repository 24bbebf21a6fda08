import fs from 'node:fs'
import path from 'node:path'

import { PAYLOAD_PASSWORD_HASH } from '../../src/collections/Users/hooks/loginProtection'

// The decoy password check for unknown emails must cost what Payload's check of a real password
// costs. Payload does not export its parameters, so they are read from its source here: an upgrade
// that changes them fails this test instead of quietly bringing back the timing difference.
const localStrategy = path.resolve('node_modules/payload/dist/auth/strategies/local')
const source = (file: string) => fs.readFileSync(path.join(localStrategy, file), 'utf8')

test("the decoy password check uses Payload's current PBKDF2 parameters", () => {
  const hashing = source('generatePasswordSaltHash.js')
  expect(Number(/currentPasswordHashIterations = (\d+);/.exec(hashing)?.[1])).toBe(PAYLOAD_PASSWORD_HASH.iterations)
  expect(Number(/currentPasswordHashKeyLength = (\d+);/.exec(hashing)?.[1])).toBe(PAYLOAD_PASSWORD_HASH.keyLength)
  // Both hashing a new password and checking a stored one use this digest.
  expect(hashing).toContain(`keyLength, '${PAYLOAD_PASSWORD_HASH.digest}'`)
  expect(source('authenticate.js')).toContain(`crypto.pbkdf2(password, salt, iterations, keyLength, '${PAYLOAD_PASSWORD_HASH.digest}'`)
})
