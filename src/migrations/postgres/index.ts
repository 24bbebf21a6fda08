import * as migration_20261124_221304_initial from './20261124_221304_initial';

export const migrations = [
  {
    up: migration_20261124_221304_initial.up,
    down: migration_20261124_221304_initial.down,
    name: '20261124_221304_initial'
  },
];
