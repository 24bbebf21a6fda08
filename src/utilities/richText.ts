import type { PlaintextConverters } from '@payloadcms/richtext-lexical/plaintext'
import { convertLexicalToPlaintext } from '@payloadcms/richtext-lexical/plaintext'

type LexicalState = Parameters<typeof convertLexicalToPlaintext>[0]['data']

export const isLexicalState = (value: unknown): value is LexicalState =>
  typeof value === 'object' &&
  value !== null &&
  'root' in value &&
  typeof (value as { root: unknown }).root === 'object' &&
  (value as { root: unknown }).root !== null

/** Blocks carry their text in fields, which the default heuristic does not look into. */
const blockConverters: PlaintextConverters = {
  blocks: {
    code: ({ node }) => `\n\n${String((node.fields as { code?: unknown }).code ?? '')}`,
    banner: ({ node }) => {
      const content = (node.fields as { content?: unknown }).content
      return isLexicalState(content) ? `\n\n${richTextToPlainText(content)}` : ''
    },
    mediaBlock: '',
  },
}

export const richTextToPlainText = (value: unknown): string =>
  isLexicalState(value) ? convertLexicalToPlaintext({ data: value, converters: blockConverters }).trim() : ''

export const WORDS_PER_MINUTE = 220

export const countWords = (text: string): number => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).length

/** Whole minutes, at least one for any text at all. */
export const readingTimeMinutes = (text: string, wordsPerMinute = WORDS_PER_MINUTE): number => {
  const words = countWords(text)
  return words === 0 ? 0 : Math.max(1, Math.round(words / wordsPerMinute))
}

/** The opening of a text, cut at a word boundary, with an ellipsis when it was shortened. */
export const excerptFromText = (text: string, maxLength = 200): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= maxLength) return flat
  const cut = flat.slice(0, maxLength - 1)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`
}
