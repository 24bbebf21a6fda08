import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { from: string; to: string[]; data: string }

export type TestMailServer = {
  /** Every mail received so far, oldest first; tests may take from it. */
  inbox: ReceivedMail[]
  close: () => Promise<void>
}

/**
 * A real SMTP server on loopback (no TLS, any sender): Greenroom talks to it through nodemailer.
 * Mail lands in `inbox` (a test's own list when given, so it can be read before the server starts).
 */
export const startMailServer = async (port: number, inbox: ReceivedMail[] = []): Promise<TestMailServer> => {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve))
  return { inbox, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) }
}
