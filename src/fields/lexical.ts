import {
  BlocksFeature,
  FixedToolbarFeature,
  HeadingFeature,
  HorizontalRuleFeature,
  InlineToolbarFeature,
  LinkFeature,
  UploadFeature,
  lexicalEditor,
} from '@payloadcms/richtext-lexical'

import { labelledByContentInRichText } from '../admin/labels'
import { Banner } from '../blocks/Banner/config'
import { Code } from '../blocks/Code/config'
import { MediaBlock } from '../blocks/MediaBlock/config'
import { StoredBlockIdsFeature } from './blockIds'

/**
 * Payload's default features, with links and uploads limited to content readers may see: the
 * stock relationship feature could embed any collection (users included), so it is left out.
 */
export const defaultLexical = lexicalEditor({
  features: ({ defaultFeatures }) => [
    ...defaultFeatures.filter((feature) => !['link', 'upload', 'relationship'].includes(feature.key)),
    LinkFeature({ enabledCollections: ['pages', 'posts'] }),
    UploadFeature({ enabledCollections: ['media'] }),
    FixedToolbarFeature(),
    InlineToolbarFeature(),
  ],
})

/** Post bodies: headings, rules and the content blocks an article needs. */
export const postContentEditor = lexicalEditor({
  features: ({ rootFeatures }) => [
    ...rootFeatures,
    HeadingFeature({ enabledHeadingSizes: ['h2', 'h3', 'h4'] }),
    HorizontalRuleFeature(),
    BlocksFeature({ blocks: [Banner, Code, MediaBlock].map(labelledByContentInRichText) }),
    StoredBlockIdsFeature(),
  ],
})
