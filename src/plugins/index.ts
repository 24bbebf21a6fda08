import { formBuilderPlugin } from '@payloadcms/plugin-form-builder'
import { nestedDocsPlugin } from '@payloadcms/plugin-nested-docs'
import { redirectsPlugin } from '@payloadcms/plugin-redirects'
import { searchPlugin } from '@payloadcms/plugin-search'
import { seoPlugin } from '@payloadcms/plugin-seo'
import type { Plugin } from 'payload'

import { anyone } from '../access/anyone'
import { editorAdminPlugin } from '../admin'
import { auditLogPlugin } from '../auditLog/plugin'
import { badInputPlugin } from '../badInput/plugin'
import { buildHooksPlugin, queueBuildHooks } from '../buildHooks'
import { buildStatusPlugin } from '../buildStatus'
import { isAdmin } from '../access/isAdmin'
import { jobsRunHerePlugin } from '../jobs/runsHere'
import { linkChecksPlugin } from '../linkChecks'
import { isEditor } from '../access/isEditor'
import { nobody } from '../access/nobody'
import { acceptOnlyTheFormsFields, submissionLimitsFromEnv } from '../collections/FormSubmissions/hooks/acceptOnlyTheFormsFields'
import { defaultLexical } from '../fields/lexical'
import { formEmailsPlugin, keepFormEmails } from '../forms/emails'
import { refuseTokenlessGraphqlSubmissions } from '../forms/graphql'
import { formSettingsFromEnv } from '../forms/settings'
import { formTokenEndpoint } from '../forms/tokenEndpoint'
import { preventDeleteWhileReferenced } from '../hooks/preventDeleteWhileReferenced'
import { documentRedirectsPlugin } from '../redirects'
import { contentChangesPlugin } from '../changes/plugin'
import { dependenciesPlugin } from '../changes/dependencyPlugin'
import { populatedDocumentsPlugin } from '../server/cache/populatedDocuments'
import { objectStoragePlugin } from './objectStorage'
import { generateSeoTitle, generateSeoUrl } from './seo'
import { searchFields, searchSyncReadsPlugin, syncSearchDoc } from './search'
import { unservedRoutesPlugin } from './unservedRoutes'
import { uploadLimitsPlugin } from './uploadLimits'

const formSettings = formSettingsFromEnv(process.env)

/**
 * The official plugins, with access tightened: their defaults let any signed-in user write, and
 * an API key counts as signed in.
 */
export const plugins: Plugin[] = [
  nestedDocsPlugin({
    collections: ['categories'],
    generateLabel: (_, doc) => String(doc.title ?? ''),
    generateURL: (docs) => docs.reduce((url, doc) => `${url}/${String(doc.slug ?? '')}`, ''),
  }),
  redirectsPlugin({
    collections: ['pages', 'posts'],
    redirectTypes: ['301', '302', '307', '308'],
    overrides: {
      access: { read: anyone, create: isEditor, update: isEditor, delete: isEditor },
      admin: { group: 'Site' },
    },
  }),
  // Redirects made when published documents move, loops refused, and the exports builds read.
  documentRedirectsPlugin(),
  formBuilderPlugin({
    fields: { payment: false },
    redirectRelationships: ['pages'],
    // Emails go out after commit, from the jobs queue (src/forms/emails.ts).
    beforeEmail: keepFormEmails,
    formOverrides: {
      // GET /api/forms/{id}/token: the fill-time token for a page's form (src/forms/spamGuard.ts).
      endpoints: [formTokenEndpoint(formSettings)],
      access: { read: anyone, create: isEditor, update: isEditor, delete: isEditor },
      // A page's form block requires its form: deleting the form would leave the page answering `form: null`.
      hooks: { beforeDelete: [preventDeleteWhileReferenced('form')] },
      admin: { group: 'Forms' },
      fields: ({ defaultFields }) =>
        defaultFields.map((field) =>
          'name' in field && field.type === 'richText' ? { ...field, editor: defaultLexical } : field,
        ),
    },
    formSubmissionOverrides: {
      access: { create: anyone, read: isEditor, update: nobody, delete: isAdmin },
      admin: { group: 'Forms' },
      hooks: {
        beforeOperation: [refuseTokenlessGraphqlSubmissions(formSettings)],
        beforeValidate: [acceptOnlyTheFormsFields(submissionLimitsFromEnv(process.env))],
      },
    },
  }),
  // Right after the form builder: takes its in-request sender out (src/forms/emails.ts).
  formEmailsPlugin(formSettings),
  searchPlugin({
    collections: ['posts', 'pages'],
    defaultPriorities: { pages: 10, posts: 20 },
    beforeSync: syncSearchDoc,
    searchOverrides: {
      access: { read: anyone, create: nobody, update: nobody, delete: isAdmin },
      // Derived from posts and pages, rewritten with every save of one: their own changes are the record.
      custom: { changeLog: false },
      admin: { group: 'Site' },
      fields: searchFields,
    },
  }),
  // The search plugin's read of the document it syncs, at depth 0 (what the search row takes of it).
  searchSyncReadsPlugin(['posts', 'pages']),
  seoPlugin({
    collections: ['posts', 'pages'],
    uploadsCollection: 'media',
    generateTitle: generateSeoTitle,
    generateURL: generateSeoUrl,
    tabbedUI: false,
    // The plugin localizes the image too; a social image is shared by both languages like every other image.
    fields: ({ defaultFields }) =>
      defaultFields.map((field) => ('name' in field && field.name === 'image' ? { ...field, localized: false } : field)),
  }),
  uploadLimitsPlugin(process.env),
  // Media in an S3-compatible bucket when S3_BUCKET is set (src/media/storage).
  objectStoragePlugin(process.env),
  unservedRoutesPlugin(),
  buildHooksPlugin(),
  buildStatusPlugin(),
  // Links checked before publish: fields and hooks on posts and pages, POST /api/link-check.
  linkChecksPlugin(),
  // After every plugin that adds a collection people write to: it records their writes.
  auditLogPlugin(),
  // After every plugin that adds a collection or a dashboard panel (src/admin/index.ts).
  editorAdminPlugin(),
  // After every plugin that adds a collection: it checks the queries of all of them.
  badInputPlugin(),
  // After every plugin that adds a collection or global readers read: it gives their reads the cache of
  // populated documents.
  populatedDocumentsPlugin(),
  // Last: see its comment.
  contentChangesPlugin({ subscribers: [queueBuildHooks] }),
  // After every plugin that adds a collection (the change log's included): every read declares what it shows.
  dependenciesPlugin(),
  // After every plugin that adds a job queue's cron.
  jobsRunHerePlugin(),
]
