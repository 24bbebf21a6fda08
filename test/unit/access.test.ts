import { adminOrSelf } from '../../src/access/adminOrSelf'
import { anyone } from '../../src/access/anyone'
import { editorOrOwnPost } from '../../src/access/editorOrOwnPost'
import { isAdmin, isAdminField } from '../../src/access/isAdmin'
import { isEditor } from '../../src/access/isEditor'
import { isEditorial } from '../../src/access/isEditorial'
import { nobody } from '../../src/access/nobody'
import { publishedOrEditorial } from '../../src/access/publishedOrEditorial'
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
    expect(nobody(args(u))).toBe(false)
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
