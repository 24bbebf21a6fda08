import type { GlobalConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { isEditor } from '../../access/isEditor'
import { rejectStaleGlobalUpdate } from '../../hooks/rejectStaleUpdate'
import { previewButtonUrlForGlobal } from '../../preview/mint'
import { globalVersions } from '../versions'
import { linkField } from '../../fields/link'
import { LINK_ROW_LABEL } from '../../admin/labels'

export const Footer: GlobalConfig = {
  slug: 'footer',
  access: { read: anyone, update: isEditor },
  hooks: { beforeValidate: [rejectStaleGlobalUpdate] },
  versions: globalVersions,
  // Preview shows the home page around the newest draft (src/preview/).
  admin: { preview: previewButtonUrlForGlobal('footer') },
  fields: [
    {
      name: 'navItems',
      label: 'Navigation',
      type: 'array',
      maxRows: 12,
      fields: [linkField()],
      admin: { initCollapsed: true, components: { RowLabel: LINK_ROW_LABEL } },
    },
    { name: 'copyright', type: 'text', maxLength: 200, localized: true, admin: { description: 'E.g. "© 2026 Greenroom".' } },
  ],
}
