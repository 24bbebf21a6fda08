import { adminOrSelf, adminOrSelfField } from '../../src/access/adminOrSelf'
import { anyone } from '../../src/access/anyone'
import { editorOrOwnMedia } from '../../src/access/editorOrOwnMedia'
import { editorOrOwnPost } from '../../src/access/editorOrOwnPost'
import { isAdmin, isAdminField } from '../../src/access/isAdmin'
import { isEditor, isEditorField } from '../../src/access/isEditor'
import { isEditorial, isEditorialField } from '../../src/access/isEditorial'
import { nobody, nobodyField } from '../../src/access/nobody'
import { publishedOrEditorial } from '../../src/access/publishedOrEditorial'
import { readOnlyApiKeys } from '../../src/access/readOnlyApiKeys'
import { applyReaderPolicy } from '../../src/readerPolicy/enforce'
import { readerPolicyFromEnv } from '../../src/readerPolicy/policy'
import { editorialRole, hasRole, isApiKeySession } from '../../src/access/roles'

type Role = 'admin' | 'editor' | 'author'
const user = (role: Role, id = 7, strategy = 'local-jwt') => ({ id, role, collection: 'users', _strategy: strategy })
const args = (u: unknown) => ({ req: { user: u } }) as never

const admin = user('admin')
const editor = user('editor')
const author = user('author', 11)
const apiKeyAdmin = user('admin', 1, 'api-key')

describe('roles', () => {
  test('an API key never carries its owner’s role', () => {
    expect(isApiKeySession(apiKeyAdmin as never)).toBe(true)
    expect(editorialRole(apiKeyAdmin as never)).toBeNull()
    expect(hasRole(apiKeyAdmin as never, 'admin')).toBe(false)
  })
  test('unknown roles and other auth collections count as readers', () => {
    expect(editorialRole({ id: 1, role: 'owner', collection: 'users' } as never)).toBeNull()
    expect(editorialRole({ id: 1, role: 'admin', collection: 'members' } as never)).toBeNull()
    expect(editorialRole(null)).toBeNull()
  })
})

describe.each([
  ['anonymous', null, { anyone: true, isEditorial: false, isEditor: false, isAdmin: false }],
  ['API key', apiKeyAdmin, { anyone: true, isEditorial: false, isEditor: false, isAdmin: false }],
  ['author', author, { anyone: true, isEditorial: true, isEditor: false, isAdmin: false }],
  ['editor', editor, { anyone: true, isEditorial: true, isEditor: true, isAdmin: false }],
  ['admin', admin, { anyone: true, isEditorial: true, isEditor: true, isAdmin: true }],
])('%s', (_name, u, expected) => {
  test('simple predicates', () => {
    expect(anyone(args(u))).toBe(expected.anyone)
    expect(isEditorial(args(u))).toBe(expected.isEditorial)
    expect(isEditor(args(u))).toBe(expected.isEditor)
    expect(isAdmin(args(u))).toBe(expected.isAdmin)
    expect(isAdminField(args(u))).toBe(expected.isAdmin)
    expect(isEditorField(args(u))).toBe(expected.isEditor)
    expect(isEditorialField(args(u))).toBe(expected.isEditorial)
    expect(nobody(args(u))).toBe(false)
    expect(nobodyField(args(u))).toBe(false)
  })
})

describe('publishedOrEditorial', () => {
  test('readers get a published-only query', () => {
    for (const reader of [null, apiKeyAdmin]) {
      expect(publishedOrEditorial(args(reader))).toEqual({ _status: { equals: 'published' } })
    }
  })
  test('the editorial team sees drafts', () => {
    for (const member of [author, editor, admin]) expect(publishedOrEditorial(args(member))).toBe(true)
  })
})

describe('editorOrOwnPost', () => {
  test('editors and admins edit every post', () => {
    expect(editorOrOwnPost(args(editor))).toBe(true)
    expect(editorOrOwnPost(args(admin))).toBe(true)
  })
  test('authors edit only posts that list them', () => {
    expect(editorOrOwnPost(args(author))).toEqual({ authors: { equals: 11 } })
  })
  test('readers edit nothing', () => {
    expect(editorOrOwnPost(args(null))).toBe(false)
    expect(editorOrOwnPost(args(apiKeyAdmin))).toBe(false)
  })
})

describe('adminOrSelf', () => {
  test('admins manage all accounts, others only their own', () => {
    expect(adminOrSelf(args(admin))).toBe(true)
    expect(adminOrSelf(args(editor))).toEqual({ id: { equals: 7 } })
    expect(adminOrSelf(args(author))).toEqual({ id: { equals: 11 } })
    expect(adminOrSelf(args(null))).toBe(false)
    expect(adminOrSelf(args(apiKeyAdmin))).toBe(false)
  })
})

describe('editorOrOwnMedia', () => {
  test('editors and admins edit every file', () => {
    expect(editorOrOwnMedia(args(editor))).toBe(true)
    expect(editorOrOwnMedia(args(admin))).toBe(true)
  })
  test('authors edit only the files they uploaded', () => {
    expect(editorOrOwnMedia(args(author))).toEqual({ uploadedBy: { equals: 11 } })
  })
  test('readers edit nothing', () => {
    expect(editorOrOwnMedia(args(null))).toBe(false)
    expect(editorOrOwnMedia(args(apiKeyAdmin))).toBe(false)
  })
})

describe('adminOrSelfField', () => {
  const fieldArgs = (u: unknown, doc?: { id: number }) => ({ req: { user: u }, doc }) as never
  test("admins read everyone's account details", () => {
    expect(adminOrSelfField(fieldArgs(admin, { id: 99 }))).toBe(true)
    expect(adminOrSelfField(fieldArgs(admin))).toBe(true)
  })
  test('others read only their own', () => {
    expect(adminOrSelfField(fieldArgs(author, { id: 11 }))).toBe(true)
    expect(adminOrSelfField(fieldArgs(author, { id: 7 }))).toBe(false)
    expect(adminOrSelfField(fieldArgs(editor, { id: 11 }))).toBe(false)
  })
  test('without a document (permissions, a where on the field) only admins', () => {
    expect(adminOrSelfField(fieldArgs(author))).toBe(false)
    expect(adminOrSelfField(fieldArgs(editor))).toBe(false)
  })
  test("an API key never reads its owner's details, nor does a reader", () => {
    expect(adminOrSelfField(fieldArgs(apiKeyAdmin, { id: 1 }))).toBe(false)
    expect(adminOrSelfField(fieldArgs(null, { id: 1 }))).toBe(false)
  })
})

describe('readOnlyApiKeys', () => {
  const signedIn = ({ req }: { req: { user: unknown } }) => Boolean(req.user)
  const handler = () => new Response('ok')
  // As the server applies them: keys change nothing, and every reader (a key too) reads by the reader policy.
  const policy = { ...readerPolicyFromEnv({}, ['en']), collections: { things: 'everything' as const } }
  const build = () =>
    applyReaderPolicy(policy)(readOnlyApiKeys({
      collections: [
        {
          slug: 'things',
          access: { read: signedIn, create: signedIn },
          hooks: {},
          fields: [{ name: 'notes', type: 'text', access: { read: signedIn } }],
          endpoints: [
            { method: 'post', path: '/act', handler },
            { method: 'get', path: '/look', handler },
          ],
        },
        { slug: 'payload-locked-documents', access: { read: signedIn }, hooks: {}, fields: [], endpoints: [{ method: 'get', path: '/', handler }] },
      ],
      globals: [],
      endpoints: [],
      blocks: [],
      jobs: { access: { run: () => true } },
    } as never))
  const request = (u: unknown) => ({ user: u, t: (key: string) => key, query: {} }) as never

  test('a key reads as the public does, and writes nothing', async () => {
    const [things] = build().collections
    expect(await things.access.read!({ req: request(apiKeyAdmin) } as never)).toBe(false)
    expect(await things.access.read!({ req: request(author) } as never)).toBe(true)
    expect(await things.access.create!({ req: request(apiKeyAdmin) } as never)).toBe(false)
    // Where Payload's default applies (any signed-in user), a key is still refused.
    expect(await things.access.delete!({ req: request(apiKeyAdmin) } as never)).toBe(false)
    expect(await things.access.delete!({ req: request(editor) } as never)).toBe(true)
    const notes = things.fields[0] as unknown as { access: { read: (args: unknown) => boolean } }
    expect(notes.access.read({ req: request(apiKeyAdmin) })).toBe(false)
    expect(notes.access.read({ req: request(author) })).toBe(true)
  })

  test("Payload's internal collections are the editorial team's", async () => {
    const [, locks] = build().collections
    expect(await locks.access.read!({ req: request(apiKeyAdmin) } as never)).toBe(false)
    expect(await locks.access.read!({ req: request({ id: 1, collection: 'members' }) } as never)).toBe(false)
    expect(await locks.access.read!({ req: request(author) } as never)).toBe(true)
    expect(() => (locks.endpoints as { handler: (req: unknown) => unknown }[])[0].handler(request(apiKeyAdmin))).toThrow(/API key/)
  })

  test('endpoints that are not GET refuse a key; others run', async () => {
    const [things] = build().collections
    const [act, look] = things.endpoints as { handler: (req: unknown) => unknown }[]
    expect(() => act.handler(request(apiKeyAdmin))).toThrow(/API key/)
    expect(act.handler(request(editor))).toBeInstanceOf(Response)
    expect(look.handler(request(apiKeyAdmin))).toBeInstanceOf(Response)
  })

  test('applying it twice wraps once', () => {
    const config = build()
    const read = config.collections[0].access.read
    expect(readOnlyApiKeys(config).collections[0].access.create).toBe(config.collections[0].access.create)
    void read
  })
})
