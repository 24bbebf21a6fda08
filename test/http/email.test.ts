import { api, login } from '../helpers/http'
import type { TestServer } from '../helpers/server'
import { TEST_ADMIN, freePort, startTestServer } from '../helpers/server'
import type { ReceivedMail, TestMailServer } from '../helpers/smtp'
import { startMailServer } from '../helpers/smtp'

let smtp: TestMailServer
let server: TestServer
const inbox: ReceivedMail[] = []

const waitForMail = async (timeoutMs = 20_000): Promise<ReceivedMail> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const mail = inbox.shift()
    if (mail) return mail
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`No mail arrived within ${timeoutMs} ms. Server output:\n${server.output()}`)
}

beforeAll(async () => {
  const smtpPort = await freePort()
  smtp = await startMailServer(smtpPort, inbox)
  server = await startTestServer({
    seed: true,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), EMAIL_FROM_ADDRESS: 'cms@greenroom.test' },
  })
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await smtp?.close()
})

test('a forgotten password is reset through a mailed link', async () => {
  const requested = await api(server.url, '/api/users/forgot-password', {
    method: 'POST',
    body: { email: TEST_ADMIN.email },
  })
  expect(requested.status).toBe(200)

  const mail = await waitForMail()
  expect(mail.from).toBe('cms@greenroom.test')
  expect(mail.to).toEqual([TEST_ADMIN.email])
  const unfolded = mail.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const token = /\/admin\/reset\/([A-Za-z0-9]+)/.exec(unfolded)?.[1]
  expect(token).toBeTruthy()

  const reset = await api(server.url, '/api/users/reset-password', {
    method: 'POST',
    body: { token, password: 'a-brand-new-password-42' },
  })
  expect(reset.status).toBe(200)
  await expect(login(server.url, TEST_ADMIN.email, 'a-brand-new-password-42')).resolves.toMatch(/^JWT /)
  await expect(login(server.url, TEST_ADMIN.email, TEST_ADMIN.password)).rejects.toThrow(/401/)
})

test('an unknown address gets the same answer and no mail', async () => {
  const res = await api(server.url, '/api/users/forgot-password', {
    method: 'POST',
    body: { email: 'nobody@greenroom.test' },
  })
  expect(res.status).toBe(200)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(inbox).toHaveLength(0)
})
