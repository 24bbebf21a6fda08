import { readDeployReport, ReportNotUnderstood } from '../../src/buildStatus/reports'
import { withoutSecrets } from '../../src/server/requestLogger'

describe('readDeployReport', () => {
  test('Netlify: every in-progress state is building; the deploy URL wins over the site URL', () => {
    for (const state of ['new', 'enqueued', 'building', 'uploading', 'processing']) {
      expect(readDeployReport({ id: 'd', site_id: 's', state }).state).toBe('building')
    }
    expect(readDeployReport({ id: 'd', site_id: 's', state: 'ready', ssl_url: 'https://site.netlify.app', deploy_ssl_url: 'https://d--site.netlify.app' })).toEqual({
      provider: 'netlify',
      state: 'live',
      url: 'https://d--site.netlify.app/',
      deployId: 'd',
      error: undefined,
    })
    expect(readDeployReport({ id: 'd', site_id: 's', state: 'error', error_message: null }).error).toBe('The deploy failed.')
  })

  test('Vercel: a bare host name becomes an https URL', () => {
    expect(readDeployReport({ type: 'deployment.ready', payload: { deployment: { id: 'dpl', url: 'a-b.vercel.app' } } })).toMatchObject({
      provider: 'vercel',
      state: 'live',
      url: 'https://a-b.vercel.app/',
      deployId: 'dpl',
    })
  })

  test('generic: a position as a string of digits is read; URLs that are not http(s) are dropped', () => {
    expect(readDeployReport({ state: 'live', position: '42', url: 'javascript:alert(1)' })).toMatchObject({ position: 42, url: undefined })
  })

  test.each([null, 'live', [], {}, { state: 'ok' }, { type: 'deployment.unknown' }, { state: 'live', position: 'x' }])('%p is not understood', (body) => {
    expect(() => readDeployReport(body)).toThrow(ReportNotUnderstood)
  })
})

test('a ?token= is never written to the request log', () => {
  expect(withoutSecrets('/api/build-hooks/deploy-status?token=gdt_abc&x=1')).toBe('/api/build-hooks/deploy-status?token=[redacted]&x=1')
  expect(withoutSecrets('/api/x?a=1&TOKEN=secret#f')).toBe('/api/x?a=1&TOKEN=[redacted]#f')
  expect(withoutSecrets('/api/posts?limit=1')).toBe('/api/posts?limit=1')
})
