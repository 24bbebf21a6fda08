import * as migration_20261124_214135_initial from './20261124_214135_initial';

export const migrations = [
  {
    up: migration_20261124_214135_initial.up,
    down: migration_20261124_214135_initial.down,
    name: '20261124_214135_initial'
  },
];
