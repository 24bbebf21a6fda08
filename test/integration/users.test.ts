import type { Payload } from 'payload'

import type { TestUser } from '../helpers/payload'
import { createUser, initPayload, viaApiKey } from '../helpers/payload'
import { closePayload } from '../../src/db/closePayload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

describe('accounts', () => {
  let admin: TestUser
  let editor: TestUser

  test('the first account becomes admin whatever role it asked for', async () => {
    const first = await payload.create({
      collection: 'users',
      overrideAccess: true,
      data: { email: 'first@greenroom.test', password: 'password-123456', name: 'First', role: 'author' },
    })
    expect(first.role).toBe('admin')
    admin = { ...first, collection: 'users' }
    const second = await createUser(payload, 'author')
    expect(second.role).toBe('author')
    editor = await createUser(payload, 'editor')
  })

  test('only admins create accounts', async () => {
    const data = { email: 'new@greenroom.test', password: 'password-123456', name: 'New', role: 'author' as const }
    await expect(payload.create({ collection: 'users', user: editor, overrideAccess: false, data })).rejects.toMatchObject({ status: 403 })
    await expect(payload.create({ collection: 'users', user: viaApiKey(admin), overrideAccess: false, data })).rejects.toMatchObject({ status: 403 })
    const created = await payload.create({ collection: 'users', user: admin, overrideAccess: false, data })
    expect(created.role).toBe('author')
  })

  test('nobody promotes themselves', async () => {
    const updated = await payload.update({ collection: 'users', id: editor.id, user: editor, overrideAccess: false, data: { role: 'admin', bio: 'Hi' } })
    expect(updated.role).toBe('editor')
    expect(updated.bio).toBe('Hi')
  })

  test('people edit only their own account unless admin', async () => {
    await expect(
      payload.update({ collection: 'users', id: admin.id, user: editor, overrideAccess: false, data: { name: 'Renamed' } }),
    ).rejects.toMatchObject({ status: 403 })
  })

  test('readers cannot list users', async () => {
    await expect(payload.find({ collection: 'users', overrideAccess: false })).rejects.toMatchObject({ status: 403 })
    await expect(payload.find({ collection: 'users', user: viaApiKey(admin), overrideAccess: false })).rejects.toMatchObject({ status: 403 })
  })

  test('the last admin can be neither demoted nor deleted', async () => {
    await expect(
      payload.update({ collection: 'users', id: admin.id, user: admin, overrideAccess: false, data: { role: 'editor' } }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining('last admin') })
    await expect(payload.delete({ collection: 'users', id: admin.id, user: admin, overrideAccess: false })).rejects.toMatchObject({
      status: 409,
    })
    const stillThere = await payload.findByID({ collection: 'users', id: admin.id, overrideAccess: true })
    expect(stillThere.role).toBe('admin')
  })

  test('with a second admin, the first may step down', async () => {
    await payload.update({ collection: 'users', id: editor.id, user: admin, overrideAccess: false, data: { role: 'admin' } })
    const demoted = await payload.update({ collection: 'users', id: admin.id, user: admin, overrideAccess: false, data: { role: 'editor' } })
    expect(demoted.role).toBe('editor')
  })
})
