import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Greenroom is a back end: express serves it, Next renders only the admin panel and API routes.
  images: { unoptimized: true },
  // The express server creates the Payload instance that Next's routes then reuse (Payload caches
  // it per process). Bundling a second copy of Payload into Next would make its error classes
  // differ from the ones our hooks throw, and Payload's error handler tells them apart with
  // `instanceof`: validation details would be dropped from 400 responses.
  serverExternalPackages: [
    'payload',
    '@payloadcms/db-mongodb',
    '@payloadcms/db-postgres',
    '@payloadcms/db-sqlite',
    '@payloadcms/drizzle',
    '@payloadcms/email-nodemailer',
    '@payloadcms/graphql',
    '@payloadcms/plugin-nested-docs',
    '@payloadcms/plugin-redirects',
    // Loaded only when /api/openapi.json is first requested; its dependencies are plain Node modules.
    'payload-oapi',
    // The SEO, search and form-builder plugins ship admin components with styles: Next bundles them.
  ],
  typescript: {
    // `npm run typecheck` checks the whole project (tests and scripts too) as a separate CI step.
    ignoreBuildErrors: true,
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
