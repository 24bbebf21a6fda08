// Form emails through the Local API: queued in the submission's own transaction, rendered by
// plugin-form-builder's own renderer in the job, sent to a real SMTP server on 127.0.0.1 that is down
// at first, and retried. Jobs are run by hand here (JOBS_AUTORUN is off in the suite);
// test/http/formPosts.test.ts runs the same through a real server and its runner.
import type { Payload } from 'payload'
import { createLocalReq, initTransaction, killTransaction } from 'payload'

import { closePayload } from '../../src/db/closePayload'
import { FORM_EMAILS_QUEUE, SEND_FORM_EMAIL_TASK } from '../../src/forms/emails'
import { richTextFromPlain } from '../../src/seed/lexical'
import { freePort } from '../helpers/server'
import { initPayload } from '../helpers/payload'
import type { ReceivedMail, TestMailServer } from '../helpers/smtp'
import { startMailServer } from '../helpers/smtp'

let payload: Payload
let smtp: TestMailServer | undefined
let smtpPort: number
let form: number | string
const inbox: ReceivedMail[] = []

const startSmtp = async () => {
  smtp = await startMailServer(smtpPort, inbox)
}

const formJobs = async () =>
  (
    await payload.find({
      collection: 'payload-jobs',
      where: { taskSlug: { equals: SEND_FORM_EMAIL_TASK } },
      overrideAccess: true,
      depth: 0,
      sort: 'createdAt',
      pagination: false,
    })
  ).docs

const submit = (name: string, req?: Parameters<Payload['create']>[0]['req']) =>
  payload.create({
    collection: 'form-submissions',
    data: { form: form as number, submissionData: [{ field: 'name', value: name }, { field: 'email', value: 'visitor@example.com' }] },
    req,
  })

beforeAll(async () => {
  smtpPort = await freePort()
  // Read when the config is evaluated (initPayload imports it).
  process.env.SMTP_HOST = '127.0.0.1'
  process.env.SMTP_PORT = String(smtpPort)
  process.env.FORM_EMAIL_FIRST_RETRY_SECONDS = '1'
  payload = await initPayload()
  const created = await payload.create({
    collection: 'forms',
    data: {
      title: 'Contact',
      confirmationType: 'message',
      confirmationMessage: richTextFromPlain('Thanks.'),
      fields: [
        { blockType: 'text', name: 'name', label: 'Name', required: true },
        { blockType: 'email', name: 'email', label: 'Email' },
      ],
      emails: [
        { emailTo: 'team@site.test', emailFrom: 'forms@site.test', subject: 'From {{name}}', message: richTextFromPlain('{{name}} <{{email}}> wrote.') },
        { emailTo: '{{email}}', emailFrom: 'forms@site.test', subject: 'Thanks, {{name}}', message: richTextFromPlain('We got it.') },
      ],
    } as never,
  })
  form = created.id
}, 60_000)

afterAll(async () => {
  await closePayload(payload)
  await smtp?.close()
  delete process.env.SMTP_HOST
  delete process.env.SMTP_PORT
  delete process.env.FORM_EMAIL_FIRST_RETRY_SECONDS
})

test('a submission that rolls back queues no email', async () => {
  const req = await createLocalReq({}, payload)
  await initTransaction(req)
  await submit('Never committed', req)
  // Inside the transaction the jobs exist…
  const inside = await payload.count({ collection: 'payload-jobs', where: { taskSlug: { equals: SEND_FORM_EMAIL_TASK } }, overrideAccess: true, req })
  expect(inside.totalDocs).toBe(2)
  await killTransaction(req)
  // …and with the rollback they are gone.
  expect(await formJobs()).toHaveLength(0)
})

test('one job per email, queued with the submission and sent after it, retried until the mail server answers', async () => {
  const submission = await submit('Ada')
  const jobs = await formJobs()
  expect(jobs.map((job) => [job.queue, job.input])).toEqual([
    [FORM_EMAILS_QUEUE, { submission: submission.id, email: 0, locale: expect.any(String) }],
    [FORM_EMAILS_QUEUE, { submission: submission.id, email: 1, locale: expect.any(String) }],
  ])
  // Nothing was sent while the submission was written: the mail server is not even up.
  await payload.jobs.run({ queue: FORM_EMAILS_QUEUE })
  const failed = await formJobs()
  expect(failed.map((job) => [job.totalTried, Boolean(job.completedAt), Boolean(job.hasError)])).toEqual([
    [1, false, false],
    [1, false, false],
  ])
  expect(inbox).toHaveLength(0)

  await startSmtp()
  // The first retry waits 1 s, the next 2 s (Payload's exponential backoff: the delay × 2^tries so far).
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && inbox.length < 2) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    await payload.jobs.run({ queue: FORM_EMAILS_QUEUE })
  }
  const byRecipient = Object.fromEntries(inbox.map((mail) => [mail.to[0], mail.data.replace(/=\r?\n/g, '')]))
  expect(Object.keys(byRecipient).sort()).toEqual(['team@site.test', 'visitor@example.com'])
  // Rendered by the plugin's own renderer: {{field}} replaced (and escaped), its subject too.
  expect(byRecipient['team@site.test']).toMatch(/Subject: From Ada/)
  expect(byRecipient['team@site.test']).toContain('Ada &lt;visitor@example.com&gt; wrote.')
  expect(byRecipient['visitor@example.com']).toMatch(/Subject: Thanks, Ada/)
  expect((await formJobs()).every((job) => job.completedAt && !job.hasError)).toBe(true)

  // Each job sends its own email: the retried ones did not send the other again.
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(inbox).toHaveLength(2)
}, 40_000)

test('a submission in the request is not held up by the mail server', async () => {
  // The plugin's own sender (an unnamed arrow) is gone from the submission's hooks: the queueing hook
  // replaced it, and the others are named ones of Greenroom's (the audit log's).
  const hooks = payload.collections['form-submissions'].config.hooks.afterChange ?? []
  expect(hooks[0].name).toBe('queueFormEmails')
  expect(hooks.filter((hook) => hook.name === '')).toEqual([])
})
