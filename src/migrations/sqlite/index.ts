import * as migration_20261124_214135_initial from './20261124_214135_initial';
import * as migration_20261124_231900_media_in_rich_text from './20261124_231900_media_in_rich_text';
import * as migration_20261125_021305_localization from './20261125_021305_localization';
import * as migration_20261125_025112_locales_parent_index from './20261125_025112_locales_parent_index';
import * as migration_20261201_155003_no_login_lock from './20261201_155003_no_login_lock';
import * as migration_20261201_161032_media_uploaded_by from './20261201_161032_media_uploaded_by';
import * as migration_20261201_185336_change_log from './20261201_185336_change_log';
import * as migration_20261201_185425_build_hooks from './20261201_185425_build_hooks';
import * as migration_20261201_191529_build_deploys from './20261201_191529_build_deploys';
import * as migration_20261202_013427_issue13_urls from './20261202_013427_issue13_urls';
import * as migration_20261202_020754_issue13_redirects from './20261202_020754_issue13_redirects';
import * as migration_20261202_045711_issue14_trash from './20261202_045711_issue14_trash';
import * as migration_20261202_054535_issue14_links from './20261202_054535_issue14_links';
import * as migration_20261202_054842_issue14_preview from './20261202_054842_issue14_preview';
import * as migration_20261202_055540_issue14_audit from './20261202_055540_issue14_audit';
import * as migration_20261202_062858_issue14_list_index from './20261202_062858_issue14_list_index';
import * as migration_20261202_082533_issue15_core from './20261202_082533_issue15_core';
import * as migration_20261202_083134_issue15_sql from './20261202_083134_issue15_sql';
import * as migration_20261202_114422_issue15b_blockids from './20261202_114422_issue15b_blockids';
import * as migration_20261202_115309_issue15b_large from './20261202_115309_issue15b_large';
import * as migration_20261202_191716_issue16_placeholders from './20261202_191716_issue16_placeholders';
import * as migration_20261202_200110_issue16_formats from './20261202_200110_issue16_formats';
import * as migration_20261203_054205_issue16_localized from './20261203_054205_issue16_localized';
import * as migration_20261203_093529_issue17_object_storage from './20261203_093529_issue17_object_storage';

export const migrations = [
  {
    up: migration_20261124_214135_initial.up,
    down: migration_20261124_214135_initial.down,
    name: '20261124_214135_initial',
  },
  {
    up: migration_20261124_231900_media_in_rich_text.up,
    down: migration_20261124_231900_media_in_rich_text.down,
    name: '20261124_231900_media_in_rich_text',
  },
  {
    up: migration_20261125_021305_localization.up,
    down: migration_20261125_021305_localization.down,
    name: '20261125_021305_localization',
  },
  {
    up: migration_20261125_025112_locales_parent_index.up,
    down: migration_20261125_025112_locales_parent_index.down,
    name: '20261125_025112_locales_parent_index',
  },
  {
    up: migration_20261201_155003_no_login_lock.up,
    down: migration_20261201_155003_no_login_lock.down,
    name: '20261201_155003_no_login_lock',
  },
  {
    up: migration_20261201_161032_media_uploaded_by.up,
    down: migration_20261201_161032_media_uploaded_by.down,
    name: '20261201_161032_media_uploaded_by',
  },
  {
    up: migration_20261201_185336_change_log.up,
    down: migration_20261201_185336_change_log.down,
    name: '20261201_185336_change_log',
  },
  {
    up: migration_20261201_185425_build_hooks.up,
    down: migration_20261201_185425_build_hooks.down,
    name: '20261201_185425_build_hooks',
  },
  {
    up: migration_20261201_191529_build_deploys.up,
    down: migration_20261201_191529_build_deploys.down,
    name: '20261201_191529_build_deploys',
  },
  {
    up: migration_20261202_013427_issue13_urls.up,
    down: migration_20261202_013427_issue13_urls.down,
    name: '20261202_013427_issue13_urls',
  },
  {
    up: migration_20261202_020754_issue13_redirects.up,
    down: migration_20261202_020754_issue13_redirects.down,
    name: '20261202_020754_issue13_redirects',
  },
  {
    up: migration_20261202_045711_issue14_trash.up,
    down: migration_20261202_045711_issue14_trash.down,
    name: '20261202_045711_issue14_trash',
  },
  {
    up: migration_20261202_054535_issue14_links.up,
    down: migration_20261202_054535_issue14_links.down,
    name: '20261202_054535_issue14_links',
  },
  {
    up: migration_20261202_054842_issue14_preview.up,
    down: migration_20261202_054842_issue14_preview.down,
    name: '20261202_054842_issue14_preview',
  },
  {
    up: migration_20261202_055540_issue14_audit.up,
    down: migration_20261202_055540_issue14_audit.down,
    name: '20261202_055540_issue14_audit',
  },
  {
    up: migration_20261202_062858_issue14_list_index.up,
    down: migration_20261202_062858_issue14_list_index.down,
    name: '20261202_062858_issue14_list_index',
  },
  {
    up: migration_20261202_082533_issue15_core.up,
    down: migration_20261202_082533_issue15_core.down,
    name: '20261202_082533_issue15_core',
  },
  {
    up: migration_20261202_083134_issue15_sql.up,
    down: migration_20261202_083134_issue15_sql.down,
    name: '20261202_083134_issue15_sql',
  },
  {
    up: migration_20261202_114422_issue15b_blockids.up,
    down: migration_20261202_114422_issue15b_blockids.down,
    name: '20261202_114422_issue15b_blockids',
  },
  {
    up: migration_20261202_115309_issue15b_large.up,
    down: migration_20261202_115309_issue15b_large.down,
    name: '20261202_115309_issue15b_large',
  },
  {
    up: migration_20261202_191716_issue16_placeholders.up,
    down: migration_20261202_191716_issue16_placeholders.down,
    name: '20261202_191716_issue16_placeholders',
  },
  {
    up: migration_20261202_200110_issue16_formats.up,
    down: migration_20261202_200110_issue16_formats.down,
    name: '20261202_200110_issue16_formats',
  },
  {
    up: migration_20261203_054205_issue16_localized.up,
    down: migration_20261203_054205_issue16_localized.down,
    name: '20261203_054205_issue16_localized',
  },
  {
    up: migration_20261203_093529_issue17_object_storage.up,
    down: migration_20261203_093529_issue17_object_storage.down,
    name: '20261203_093529_issue17_object_storage'
  },
];
