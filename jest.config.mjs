const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } },
    module: { type: 'es6' },
  },
]

const shared = {
  testEnvironment: 'node',
  // Generous: CI runs on two shared cores. Speed is measured by `npm run bench`, not by tests.
  testTimeout: 60_000,
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: {
    '^@payload-config$': '<rootDir>/payload.config.ts',
    '^@/(.*)$': '<rootDir>/src/$1',
  },
}

/** @type {import('jest').Config} */
export default {
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup/isolatedDatabase.ts'],
    },
    {
      ...shared,
      displayName: 'http',
      testMatch: ['<rootDir>/test/http/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/ensureBuild.ts',
    },
    {
      ...shared,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/test/fuzz/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/ensureBuild.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/ensureBuild.ts',
    },
  ],
}
