// The types from `payload` that @payloadcms/sdk 3.90.1's declarations import, as `payload` 3.90.1
// declares them (payload/dist/index.d.ts, types/index.d.ts, …), trimmed where the SDK uses less
// (FindOptions, PayloadTypes) and where a consumer's lib check would fail (Where). The SDK lists the whole `payload`
// package (117 MB with its dependencies) as a dependency for these alone; the built client carries the
// SDK with its `import type … from 'payload'` pointed here instead (scripts/build.mjs). Generic on the
// generated `Config`, so nothing here depends on module augmentation.
import type { NonNever } from './ts-essentials.js'

export interface JsonObject {
  [key: string]: any
}
export type TypeWithID = { id: number | string }

export interface PayloadTypesShape {
  auth: Record<string, unknown>
  blocks: Record<string, unknown>
  collections: Record<string, unknown>
  collectionsJoins: Record<string, unknown>
  collectionsSelect: Record<string, unknown>
  db: { defaultIDType: unknown }
  fallbackLocale: unknown
  globals: Record<string, unknown>
  globalsSelect: Record<string, unknown>
  jobs: unknown
  locale: unknown
  user: unknown
  widgets?: Record<string, unknown>
}

/** `payload`'s untyped fallback: what a PayloadSDK without a Config type argument knows. */
export interface PayloadTypes extends PayloadTypesShape {
  auth: { [slug: string]: { forgotPassword: { email: string }; login: { email: string; password: string } } }
  collections: { [slug: string]: JsonObject & TypeWithID }
  collectionsSelect: { [slug: string]: SelectType }
  db: { defaultIDType: number | string }
  globals: { [slug: string]: JsonObject }
  globalsSelect: { [slug: string]: SelectType }
  locale: null | string
}
/** Augmented by a server's own payload-types.ts; the client is generic on Config instead. */
export interface GeneratedTypes {}

type StringKeyOf<T> = Extract<keyof T, string>
export type CollectionSlug<T extends PayloadTypesShape = PayloadTypes> = StringKeyOf<T['collections']>
export type AuthCollectionSlug<T extends PayloadTypesShape = PayloadTypes> = StringKeyOf<T['auth']>
type TypedUploadCollection<T extends PayloadTypesShape = PayloadTypes> = NonNever<{
  [TSlug in keyof T['collections']]: 'filename' | 'filesize' | 'mimeType' | 'url' extends keyof T['collections'][TSlug]
    ? T['collections'][TSlug]
    : never
}>
export type UploadCollectionSlug<T extends PayloadTypesShape = PayloadTypes> = StringKeyOf<TypedUploadCollection<T>>
export type GlobalSlug<T extends PayloadTypesShape = PayloadTypes> = StringKeyOf<T['globals']>
export type TypedLocale<T extends PayloadTypesShape = PayloadTypes> = T['locale']

export type Operator =
  | 'all'
  | 'contains'
  | 'equals'
  | 'exists'
  | 'intersects'
  | 'near'
  | 'within'
  | 'not_equals'
  | 'in'
  | 'not_in'
  | 'greater_than'
  | 'greater_than_equal'
  | 'less_than'
  | 'less_than_equal'
  | 'like'
  | 'not_like'
type JsonValue = JsonArray | JsonObject | unknown
type JsonArray = Array<JsonValue>
export type WhereField = { [key in Operator]?: JsonValue }
// `| undefined`: payload's own declaration fails a consumer's lib check (TS2411) on the optional and/or.
export type Where = { [key: string]: Where[] | WhereField | undefined; and?: Where[]; or?: Where[] }
export type Sort = Array<string> | string

export type SelectIncludeType = { [k: string]: SelectIncludeType | true }
export type SelectExcludeType = { [k: string]: false | SelectExcludeType }
export type SelectType = SelectExcludeType | SelectIncludeType
export type ApplyDisableErrors<T, DisableErrors = false> = false extends DisableErrors ? T : null | T
export type TransformDataWithSelect<Data extends Record<string, any>, Select extends SelectType> = Select extends never
  ? Data
  : string extends keyof Select
    ? Data
    : string extends keyof Omit<Data, 'id'>
      ? Select extends SelectIncludeType
        ? { [K in Data extends TypeWithID ? 'id' | keyof Select : keyof Select]: K extends 'id' ? number | string : unknown }
        : Data
      : Select extends SelectIncludeType
        ? {
            [K in keyof Data as K extends keyof Select
              ? Select[K] extends object | true
                ? K
                : never
              : K extends 'id'
                ? K
                : never]: Data[K]
          }
        : { [K in keyof Data as K extends keyof Select ? (Select[K] extends object | undefined ? K : never) : K]: Data[K] }

/** The Local API's find options; the SDK uses only their `select`. */
export type FindOptions<_TSlug extends string, TSelect extends SelectType> = { select?: TSelect }

export type PaginatedDocs<T = any> = {
  docs: T[]
  hasNextPage: boolean
  hasPrevPage: boolean
  limit: number
  nextPage?: null | number | undefined
  page?: number
  pagingCounter: number
  prevPage?: null | number | undefined
  totalDocs: number
  totalPages: number
}
export type TypeWithVersion<T> = {
  createdAt: string
  id: string
  latest?: boolean
  parent: number | string
  publishedLocale?: string
  snapshot?: boolean
  updatedAt: string
  version: T
}
export type ErrorResult = {
  data?: any
  errors: { data?: Record<string, unknown>; field?: string; message?: string; name?: string }[]
  stack?: string
}
/** Named in a comment of the SDK's declarations only. */
export type SanitizedConfig = never
