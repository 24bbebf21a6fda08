import nextEnv from '@next/env'

// Imported first by the server entry: .env must be loaded before the Payload config is evaluated.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production')
