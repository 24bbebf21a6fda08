import { submissionLimitsFromEnv } from '../../src/collections/FormSubmissions/hooks/acceptOnlyTheFormsFields'
import { imageLimitsFromEnv } from '../../src/plugins/uploadLimits'
import { bodyLimitsFromEnv, jsonTooLargeMessage, uploadTooLargeMessage } from '../../src/server/bodyLimits'

describe('the size settings', () => {
  test('defaults: 1 MB bodies, 20 MB files, 50 megapixels, 300 frames, 1,000 and 10,000 characters', () => {
    const body = bodyLimitsFromEnv({})
    expect(body).toEqual({ jsonBytes: 1024 * 1024, uploadBytes: 20 * 1024 * 1024, multipartBytes: 21 * 1024 * 1024 + 64 * 1024 })
    expect(jsonTooLargeMessage(body)).toBe(
      'The request body is larger than 1024 KB, the most this server accepts outside uploads (API_MAX_JSON_BODY_KB).',
    )
    expect(uploadTooLargeMessage(body)).toBe(
      'The file is larger than 20 MB, the most this server accepts for an upload (MEDIA_MAX_UPLOAD_MB).',
    )
    expect(imageLimitsFromEnv({})).toEqual({ maxPixels: 50_000_000, maxFrames: 300 })
    expect(submissionLimitsFromEnv({})).toEqual({ textLength: 1000, textareaLength: 10_000 })
  })

  test('set from the environment', () => {
    expect(bodyLimitsFromEnv({ API_MAX_JSON_BODY_KB: '64', MEDIA_MAX_UPLOAD_MB: '5' })).toMatchObject({
      jsonBytes: 64 * 1024,
      uploadBytes: 5 * 1024 * 1024,
    })
    expect(imageLimitsFromEnv({ MEDIA_MAX_MEGAPIXELS: '100', MEDIA_MAX_FRAMES: '20' })).toEqual({ maxPixels: 100_000_000, maxFrames: 20 })
  })

  test.each([
    ['API_MAX_JSON_BODY_KB', '0', bodyLimitsFromEnv],
    ['MEDIA_MAX_UPLOAD_MB', '1.5', bodyLimitsFromEnv],
    ['MEDIA_MAX_MEGAPIXELS', 'lots', imageLimitsFromEnv],
    ['MEDIA_MAX_FRAMES', '-1', imageLimitsFromEnv],
    ['FORM_TEXT_MAX_LENGTH', '0', submissionLimitsFromEnv],
    ['FORM_TEXTAREA_MAX_LENGTH', 'x', submissionLimitsFromEnv],
  ])('%s=%s stops start-up with a message', (name, value, read) => {
    expect(() => read({ [name]: value })).toThrow(new RegExp(`${name} "${value}" is not a whole number of at least 1`))
  })
})
