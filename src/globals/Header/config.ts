import type { GlobalConfig } from 'payload'

import { anyone } from '../../access/anyone'
import { isEditor } from '../../access/isEditor'
import { rejectStaleGlobalUpdate } from '../../hooks/rejectStaleUpdate'
import { previewButtonUrlForGlobal } from '../../preview/mint'
import { globalVersions } from '../versions'
import { linkField } from '../../fields/link'
import { LINK_ROW_LABEL } from '../../admin/labels'

export const Header: GlobalConfig = {
  slug: 'header',
  access: { read: anyone, update: isEditor },
  hooks: { beforeValidate: [rejectStaleGlobalUpdate] },
  versions: globalVersions,
  // Preview shows the home page around the newest draft (src/preview/).
  admin: { preview: previewButtonUrlForGlobal('header') },
  fields: [
    {
      name: 'navItems',
      label: 'Navigation',
      type: 'array',
      maxRows: 8,
      fields: [linkField()],
      admin: { initCollapsed: true, components: { RowLabel: LINK_ROW_LABEL } },
    },
  ],
}
