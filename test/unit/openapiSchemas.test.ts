import { collectionPaths } from '../../src/openapi/paths'
import type { CollectionDescription } from '../../src/openapi/paths'
import {
  allowEveryLocale,
  asReadDocument,
  collectRefs,
  draftTolerant,
  mapSchemas,
  nullAsItsOwnBranch,
  nullInEnum,
  relaxConditionalFields,
  withoutTypeScriptHints,
} from '../../src/openapi/schemaFixes'
import type { JsonSchema } from '../../src/openapi/schemaFixes'

describe('schema corrections', () => {
  test('an empty polymorphic relationship is its own null branch, not a match for every branch', () => {
    const reference = {
      oneOf: [
        { type: ['object', 'null'], properties: { relationTo: { const: 'pages' } } },
        { type: ['object', 'null'], properties: { relationTo: { const: 'posts' } } },
      ],
    }
    expect(nullAsItsOwnBranch(reference).oneOf).toEqual([
      { type: 'object', properties: { relationTo: { const: 'pages' } } },
      { type: 'object', properties: { relationTo: { const: 'posts' } } },
      { type: 'null' },
    ])
    // One nullable branch is unambiguous and stays as it is.
    const upload = { oneOf: [{ type: ['number', 'null'] }, { $ref: '#/components/schemas/Media' }] }
    expect(nullAsItsOwnBranch(upload)).toBe(upload)
  })

  test('drafts may leave required fields empty at any depth; ids and block types stay', () => {
    const document = {
      type: 'object',
      properties: {
        id: { type: 'number' },
        title: { type: 'string' },
        kind: { type: 'string', enum: ['a', 'b'] },
        hero: { $ref: '#/components/schemas/Media' },
        layout: {
          type: 'array',
          items: {
            type: 'object',
            properties: { blockType: { const: 'cta' }, label: { type: 'string' } },
            required: ['blockType', 'label'],
          },
        },
      },
      required: ['id', 'title', 'kind', 'hero'],
    }
    const tolerant = draftTolerant(document)
    expect(tolerant.required).toEqual(['id'])
    expect(tolerant.properties.title).toEqual({ type: ['string', 'null'] })
    expect(tolerant.properties.kind).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] })
    expect(tolerant.properties.hero).toEqual({ anyOf: [{ $ref: '#/components/schemas/Media' }, { type: 'null' }] })
    expect(tolerant.properties.layout.items.required).toEqual(['blockType'])
    expect(tolerant.properties.layout.items.properties.label).toEqual({ type: ['string', 'null'] })
  })

  test('an optional select accepts null', () => {
    expect(nullInEnum({ type: ['string', 'null'], enum: ['a'] }).enum).toEqual(['a', null])
    expect(nullInEnum({ type: 'string', enum: ['a'] }).enum).toEqual(['a'])
  })

  test('what a condition hides is not validated, so its contents may be empty; the rest stays strict', () => {
    const link = {
      type: 'object',
      properties: { label: { type: 'string' } },
      required: ['label'],
    }
    const schema = {
      type: 'object',
      properties: {
        columns: {
          type: 'array',
          items: { type: 'object', properties: { link, always: link }, required: [] },
        },
      },
    }
    const fields = [
      {
        name: 'columns',
        type: 'array',
        flattenedFields: [
          { name: 'link', type: 'group', admin: { condition: () => false }, flattenedFields: [] },
          { name: 'always', type: 'group', flattenedFields: [] },
        ],
      },
    ]
    const relaxed = relaxConditionalFields(schema, fields)
    expect(relaxed.properties.columns.items.properties.link.required).toEqual([])
    expect(relaxed.properties.columns.items.properties.link.properties.label).toEqual({ type: ['string', 'null'] })
    expect(relaxed.properties.columns.items.properties.always).toEqual(link)
  })

  test('a read document promises only the fields it names', () => {
    expect(
      asReadDocument({ properties: { id: {}, title: {} }, required: ['id', 'title'] }, ['id', 'missing']).required,
    ).toEqual(['id'])
  })

  test('TypeScript hints are removed everywhere, refs are found everywhere', () => {
    const tree = {
      a: { tsType: 'any', type: 'object', properties: { b: { $ref: '#/x', tsType: 'X' } } },
      c: [{ $ref: '#/y' }],
    }
    expect(JSON.stringify(mapSchemas(tree, withoutTypeScriptHints))).not.toContain('tsType')
    expect([...collectRefs(tree)].sort()).toEqual(['#/x', '#/y'])
  })
})

describe('locale=all', () => {
  const title = { type: 'string' }
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      title,
      slug: { type: 'string' },
      meta: { type: 'object', properties: { description: { type: 'string' } } },
      contentHtml: { type: ['string', 'null'] },
    },
  }
  const fields = [
    { name: 'title', type: 'text', localized: true },
    { name: 'slug', type: 'text' },
    { name: 'meta', type: 'group', flattenedFields: [{ name: 'description', type: 'text', localized: true }] },
    { name: 'contentHtml', type: 'textarea', custom: { readPerLocale: true } },
  ]
  const relaxed = allowEveryLocale(schema, fields, ['en', 'de'])

  test('a localized field, at any depth, may be one value per language', () => {
    const perLocale = {
      anyOf: [
        title,
        {
          type: 'object',
          description: 'With `locale=all`: the value in each language.',
          properties: { en: title, de: title },
          additionalProperties: false,
        },
      ],
    }
    expect(relaxed.properties.title).toEqual(perLocale)
    expect(relaxed.properties.meta.properties.description.anyOf[1].properties.de).toEqual({ type: 'string' })
    expect(relaxed.properties.contentHtml.anyOf).toHaveLength(2)
  })

  test('a field that is not localized keeps its one shape', () => {
    expect(relaxed.properties.slug).toEqual({ type: 'string' })
  })
})

describe('collection operations', () => {
  const description = (overrides: Partial<CollectionDescription> = {}): CollectionDescription => ({
    slug: 'notes',
    schemaName: 'Note',
    label: 'Notes',
    drafts: false,
    versions: false,
    localized: false,
    readSecurity: [],
    writeSecurity: [{ bearerAuth: [] }],
    idSchema: { type: 'integer' },
    upload: false,
    duplicate: true,
    trash: false,
    ...overrides,
  })
  const parameterNames = (operation: JsonSchema) =>
    operation.parameters.map((parameter: JsonSchema) => parameter.$ref?.split('/').at(-1) ?? parameter.name)

  test('versions, files and draft parameters appear only where the collection has them', () => {
    const plain = collectionPaths('/api', description())
    expect(Object.keys(plain).filter((route) => route.includes('versions') || route.includes('file'))).toEqual([])
    expect(parameterNames(plain['/api/notes'].get)).not.toContain('Draft')
    expect(parameterNames(plain['/api/notes/{id}'].delete)).not.toContain('Trash')
    const rich = collectionPaths('/api', description({ versions: true, drafts: true, upload: true, localized: true }))
    expect(Object.keys(rich)).toEqual(
      expect.arrayContaining(['/api/notes/versions', '/api/notes/versions/{id}', '/api/notes/file/{filename}']),
    )
    expect(parameterNames(rich['/api/notes'].get)).toEqual(
      expect.arrayContaining(['Draft', 'Locale', 'FallbackLocale']),
    )
    const trashed = collectionPaths('/api', description({ trash: true }))
    for (const [route, method] of [['/api/notes', 'get'], ['/api/notes/{id}', 'get'], ['/api/notes/{id}', 'delete'], ['/api/notes/{id}', 'patch'], ['/api/notes/count', 'get']]) {
      expect([route, method, parameterNames(trashed[route][method])]).toEqual([route, method, expect.arrayContaining(['Trash'])])
    }
  })

  test('every /api operation documents 429 and 503, reads 304', () => {
    const paths = collectionPaths('/api', description({ versions: true }))
    for (const item of Object.values(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['429', '503']))
      }
    }
    expect(paths['/api/notes'].get.responses['304']).toBeDefined()
    expect(paths['/api/notes/{id}'].head.responses['200'].content).toBeUndefined()
  })
})
