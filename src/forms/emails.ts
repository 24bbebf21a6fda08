import type { BeforeEmail, FormattedEmail } from '@payloadcms/plugin-form-builder/types'
import type { CollectionAfterChangeHook, Config, PayloadRequest, TaskConfig } from 'payload'
import { createLocalReq } from 'payload'

import type { FormSettings } from './settings'

export const SEND_FORM_EMAIL_TASK = 'sendFormEmail'
export const FORM_EMAILS_QUEUE = 'form-emails'
const SUBMISSIONS = 'form-submissions'

/** Where the task collects the emails the form-builder plugin renders (req.context). */
const RENDERED = 'greenroomRenderedFormEmails'

/**
 * plugin-form-builder's `beforeEmail`: the plugin sends nothing itself. Its renderer runs in the
 * sendFormEmail task (below), which hands the rendered emails over through the request's context.
 */
export const keepFormEmails: BeforeEmail = (emails, { req }) => {
  const collected = req.context[RENDERED]
  if (Array.isArray(collected)) collected.push(...emails)
  return []
}

const idOf = (value: unknown): number | string =>
  value && typeof value === 'object' ? ((value as { id: number | string }).id) : (value as number | string)

/**
 * One job per email the form defines, queued with the submission's own request, so in its
 * transaction: a submission that rolls back queues nothing, and no job runs before its submission
 * has committed. The job carries ids only; the submitted values stay in the submission.
 */
const queueFormEmails: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') return doc
  const form = await req.payload.findByID({
    collection: 'forms',
    id: idOf(doc.form),
    depth: 0,
    overrideAccess: true,
    req,
    select: { emails: true },
  })
  for (let email = 0; email < (form.emails?.length ?? 0); email++) {
    await req.payload.jobs.queue({
      task: SEND_FORM_EMAIL_TASK,
      queue: FORM_EMAILS_QUEUE,
      input: { submission: doc.id, email, locale: req.locale ?? '' },
      req,
    })
  }
  return doc
}

type SendIO = {
  input: { submission: number | string | { id: number | string }; email: number; locale?: string | null }
  output: { outcome: string }
}

const sendFormEmailTask = (
  render: CollectionAfterChangeHook,
  settings: FormSettings,
): TaskConfig<SendIO> => ({
  slug: SEND_FORM_EMAIL_TASK,
  label: 'Send a form submission email',
  inputSchema: [
    // A relationship, so that a backup restored with new ids (src/utilities/documentReferences.ts) follows it.
    { name: 'submission', type: 'relationship', relationTo: SUBMISSIONS, required: true },
    { name: 'email', type: 'number', required: true },
    { name: 'locale', type: 'text' },
  ],
  outputSchema: [{ name: 'outcome', type: 'text' }],
  // A failed send (the mail server away, a refusal) throws: Payload tries again later, each wait twice the last.
  retries: { attempts: 10, backoff: { type: 'exponential', delay: settings.emailFirstRetrySeconds * 1000 } },
  handler: async ({ input, req }) => {
    const { payload } = req
    const submission = await payload
      .findByID({ collection: SUBMISSIONS, id: idOf(input.submission), depth: 0, overrideAccess: true, req, disableErrors: true })
    if (!submission) return { output: { outcome: 'not sent: the submission was deleted' } }
    const locale = input.locale || undefined
    const form = await payload.findByID({
      collection: 'forms',
      id: idOf(submission.form),
      depth: 0,
      locale: locale as never,
      overrideAccess: true,
      req,
      disableErrors: true,
    })
    if (!form?.emails?.[input.email]) return { output: { outcome: 'not sent: the form no longer has this email' } }

    // The plugin's own renderer ({{field}} replacement, its rich-text serializer), as it would have
    // run in the request, with the submission as stored.
    const rendered: FormattedEmail[] = []
    const renderReq = await createLocalReq({ locale, context: { [RENDERED]: rendered } }, payload)
    await render({
      collection: payload.collections[SUBMISSIONS].config,
      context: renderReq.context,
      data: submission,
      doc: submission,
      operation: 'create',
      previousDoc: {},
      req: renderReq as PayloadRequest,
    } as never)
    const email = rendered[input.email]
    // The plugin logs and swallows its own failures (reading the form, rendering): tried again later.
    if (!email) throw new Error('The form-builder plugin rendered no email (its error is in the log above).')
    await payload.sendEmail(email)
    return { output: { outcome: 'sent' } }
  },
})

/**
 * Form emails after commit, through the jobs queue: plugin-form-builder sends a submission's emails
 * in its afterChange hook, inside the submission's transaction and its HTTP request (a slow mail
 * server holds both), and a submission rolled back after it would still have been mailed. Its hook
 * is taken out of the submission's hooks and kept as the renderer of the sendFormEmail task; the
 * submission queues one job per email instead. Listed right after formBuilderPlugin.
 */
export const formEmailsPlugin =
  (settings: FormSettings) =>
  (config: Config): Config => {
    const autoRun = config.jobs?.autoRun
    if (typeof autoRun === 'function') throw new Error('formEmailsPlugin expects jobs.autoRun as a list')
    let task: TaskConfig<SendIO> | undefined
    const collections = (config.collections ?? []).map((collection) => {
      if (collection.slug !== SUBMISSIONS) return collection
      const afterChange = collection.hooks?.afterChange ?? []
      // The plugin's only afterChange hook is its sender; anything else means the plugin changed.
      if (afterChange.length !== 1) {
        throw new Error(
          `formEmailsPlugin expects plugin-form-builder's sender as the only afterChange hook of ${SUBMISSIONS}, found ${afterChange.length} hooks`,
        )
      }
      task = sendFormEmailTask(afterChange[0], settings)
      return { ...collection, hooks: { ...collection.hooks, afterChange: [queueFormEmails] } }
    })
    if (!task) throw new Error('formEmailsPlugin must come after formBuilderPlugin')
    return {
      ...config,
      collections,
      jobs: {
        ...config.jobs,
        tasks: [...(config.jobs?.tasks ?? []), task],
        autoRun: [...(autoRun ?? []), { cron: settings.emailsCron, queue: FORM_EMAILS_QUEUE, limit: 10 }],
      },
    }
  }
