// Corrections to the JSON schemas that Payload's `entityToJSONSchema` (through payload-oapi) produces.
// Those schemas were made for TypeScript types, where they are fine; as a contract that real responses
// are validated against they are wrong in a few ways, each fixed here by a small pure function.

export type JsonSchema = { [key: string]: any }

const isObject = (value: unknown): value is JsonSchema =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Applies `visit` to every object in the tree, children first, and returns the rewritten copy. */
export const mapSchemas = (node: unknown, visit: (schema: JsonSchema) => JsonSchema): any => {
  if (Array.isArray(node)) return node.map((item) => mapSchemas(item, visit))
  if (!isObject(node)) return node
  const copy: JsonSchema = {}
  for (const [key, value] of Object.entries(node)) copy[key] = mapSchemas(value, visit)
  return visit(copy)
}

/** `tsType` steers Payload's type generator; in a JSON schema it is an unknown keyword. */
export const withoutTypeScriptHints = (schema: JsonSchema): JsonSchema => {
  if (!('tsType' in schema)) return schema
  const { tsType: _ignored, ...rest } = schema
  return rest
}

const IMAGE_SIZE_KEYS = ['url', 'width', 'height', 'mimeType', 'filesize', 'filename']

/**
 * Each resized image of an upload (`sizes.<name>`) also carries `aspectRatio`, set on read by
 * src/collections/Media/fields/aspectRatio.ts: Payload makes those objects and takes no field of ours in them.
 */
export const imageSizeAspectRatio = (schema: JsonSchema): JsonSchema =>
  isObject(schema.properties) && IMAGE_SIZE_KEYS.every((key) => key in schema.properties) && !('aspectRatio' in schema.properties)
    ? { ...schema, properties: { ...schema.properties, aspectRatio: { type: ['number', 'null'], description: 'Width ÷ height, to four decimals.' } } }
    : schema

/**
 * An optional select or radio is generated as `{ type: [string, null], enum: [a, b] }`: the enum still
 * rejects the null that an empty field holds.
 */
export const nullInEnum = (schema: JsonSchema): JsonSchema =>
  Array.isArray(schema.type) &&
  schema.type.includes('null') &&
  Array.isArray(schema.enum) &&
  !schema.enum.includes(null)
    ? { ...schema, enum: [...schema.enum, null] }
    : schema

const allowsNull = (schema: JsonSchema) => Array.isArray(schema.type) && schema.type.includes('null')

const withoutNull = (schema: JsonSchema): JsonSchema => {
  const types = (schema.type as string[]).filter((type) => type !== 'null')
  return { ...schema, type: types.length === 1 ? types[0] : types }
}

/**
 * An optional polymorphic relationship is generated as `oneOf: [{type: [object, null], relationTo: pages},
 * {type: [object, null], relationTo: posts}]`: `null` matches every branch, so `oneOf` rejects the very
 * value an empty field has. Null becomes a branch of its own.
 */
export const nullAsItsOwnBranch = (schema: JsonSchema): JsonSchema => {
  const branches = schema.oneOf
  if (!Array.isArray(branches) || branches.filter(isObject).filter(allowsNull).length < 2) return schema
  return {
    ...schema,
    oneOf: [...branches.map((branch) => (allowsNull(branch) ? withoutNull(branch) : branch)), { type: 'null' }],
  }
}

/**
 * A document as it is read: `select` picks fields, field-level access leaves some out, so no field
 * but `id` can be promised. Nested objects keep their own `required` (rows, blocks and rich text
 * come whole), only the document's top level is relaxed.
 */
export const asReadDocument = (schema: JsonSchema, required: string[]): JsonSchema => ({
  ...schema,
  required: required.filter((name) => schema.properties?.[name] !== undefined),
})

/** Every `$ref` target in the tree, for checking that a spec refers only to what it defines. */
export const collectRefs = (node: unknown, refs = new Set<string>()): Set<string> => {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, refs))
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') refs.add(value)
      else collectRefs(value, refs)
    }
  }
  return refs
}

const KEPT_REQUIRED = new Set(['id', 'blockType', 'relationTo', 'value'])

const nullable = (schema: JsonSchema): JsonSchema => {
  if (Array.isArray(schema.type)) {
    if (schema.type.includes('null')) return schema
    return { ...schema, type: [...schema.type, 'null'], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) }
  }
  if (typeof schema.type === 'string')
    return { ...schema, type: [schema.type, 'null'], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) }
  return { anyOf: [schema, { type: 'null' }] }
}

/**
 * Drafts are saved without validation, so a draft (and every version, which may be one) can leave
 * required fields empty, at any depth. Required fields become optional and nullable; row and block
 * ids, block types and polymorphic relationship keys are always there. References to other documents
 * are left alone: they describe those documents.
 */
export const draftTolerant = (schema: JsonSchema): JsonSchema => {
  if (!isObject(schema) || '$ref' in schema) return schema
  const copy: JsonSchema = { ...schema }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (Array.isArray(copy[keyword])) copy[keyword] = copy[keyword].map(draftTolerant)
  }
  if (isObject(copy.items)) copy.items = draftTolerant(copy.items)
  if (isObject(copy.properties)) {
    const required: string[] = Array.isArray(copy.required) ? copy.required : []
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, property]) => {
        const tolerant = draftTolerant(property as JsonSchema)
        return [name, required.includes(name) && !KEPT_REQUIRED.has(name) ? nullable(tolerant) : tolerant]
      }),
    )
    if (Array.isArray(copy.required)) copy.required = required.filter((name) => KEPT_REQUIRED.has(name))
  }
  return copy
}

/** The parts of a sanitized Payload field that decide how its value is validated. */
export type FieldShape = {
  name?: string
  type: string
  admin?: { condition?: unknown }
  localized?: boolean
  custom?: { readPerLocale?: boolean }
  flattenedFields?: FieldShape[]
  blocks?: { slug: string; flattenedFields: FieldShape[] }[]
}

const relaxBlocks = (schema: JsonSchema, blocks: NonNullable<FieldShape['blocks']>): JsonSchema => {
  if (!isObject(schema.items) || !Array.isArray(schema.items.oneOf)) return schema
  const oneOf = schema.items.oneOf.map((branch: JsonSchema) => {
    const block = blocks.find(({ slug }) => branch.properties?.blockType?.const === slug)
    return block ? relaxConditionalFields(branch, block.flattenedFields) : branch
  })
  return { ...schema, items: { ...schema.items, oneOf } }
}

/**
 * Payload skips the validation of a field whose `admin.condition` is false, and of everything inside
 * it: a hidden link group is stored with `label: null` although `label` is required. Payload's JSON
 * schema already makes the conditional field itself optional; this makes its contents so too.
 */
export const relaxConditionalFields = (schema: JsonSchema, fields: FieldShape[]): JsonSchema => {
  if (!isObject(schema?.properties)) return schema
  const properties: JsonSchema = { ...schema.properties }
  for (const field of fields) {
    const property = field.name ? properties[field.name] : undefined
    if (!field.name || !isObject(property)) continue
    if (field.admin?.condition) properties[field.name] = draftTolerant(property)
    else if (field.type === 'blocks' && field.blocks) properties[field.name] = relaxBlocks(property, field.blocks)
    else if (field.type === 'array' && field.flattenedFields && isObject(property.items)) {
      properties[field.name] = { ...property, items: relaxConditionalFields(property.items, field.flattenedFields) }
    } else if (field.flattenedFields) properties[field.name] = relaxConditionalFields(property, field.flattenedFields)
  }
  return { ...schema, properties }
}

/** A localized field read with `locale=all`: one value per language, each as the field itself is described. */
const perLocale = (property: JsonSchema, locales: string[]): JsonSchema => ({
  anyOf: [
    property,
    {
      type: 'object',
      description: 'With `locale=all`: the value in each language.',
      properties: Object.fromEntries(locales.map((locale) => [locale, property])),
      additionalProperties: false,
    },
  ],
})

const everyLocaleInBlocks = (
  schema: JsonSchema,
  blocks: NonNullable<FieldShape['blocks']>,
  locales: string[],
): JsonSchema => {
  if (!isObject(schema.items) || !Array.isArray(schema.items.oneOf)) return schema
  const oneOf = schema.items.oneOf.map((branch: JsonSchema) => {
    const block = blocks.find(({ slug }) => branch.properties?.blockType?.const === slug)
    return block ? allowEveryLocale(branch, block.flattenedFields, locales) : branch
  })
  return { ...schema, items: { ...schema.items, oneOf } }
}

/**
 * `?locale=all` answers every localized field as an object keyed by language instead of one value;
 * fields inside groups, arrays and blocks too. Each localized field accepts either shape.
 */
export const allowEveryLocale = (schema: JsonSchema, fields: FieldShape[], locales: string[]): JsonSchema => {
  if (!isObject(schema?.properties)) return schema
  const properties: JsonSchema = { ...schema.properties }
  for (const field of fields) {
    const property = field.name ? properties[field.name] : undefined
    if (!field.name || !isObject(property)) continue
    if (field.localized || field.custom?.readPerLocale) properties[field.name] = perLocale(property, locales)
    else if (field.type === 'blocks' && field.blocks)
      properties[field.name] = everyLocaleInBlocks(property, field.blocks, locales)
    else if (field.type === 'array' && field.flattenedFields && isObject(property.items)) {
      properties[field.name] = { ...property, items: allowEveryLocale(property.items, field.flattenedFields, locales) }
    } else if (field.flattenedFields)
      properties[field.name] = allowEveryLocale(property, field.flattenedFields, locales)
  }
  return { ...schema, properties }
}
