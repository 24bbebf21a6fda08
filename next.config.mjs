import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Greenroom is a back end: express serves it, Next renders only the admin panel and API routes.
  images: { unoptimized: true },
  typescript: {
    // `npm run typecheck` checks the whole project (tests and scripts too) as a separate CI step.
    ignoreBuildErrors: true,
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
