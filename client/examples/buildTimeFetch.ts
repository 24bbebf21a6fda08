// What a static-site generator does at build time: every published post, page by page, with its
// categories and hero image populated. Run: GREENROOM_URL=http://localhost:3000 npx tsx client/examples/buildTimeFetch.ts
import type { Post } from '../src'
import { createGreenroomClient } from '../src'

const client = createGreenroomClient({
  serverURL: process.env.GREENROOM_URL ?? 'http://localhost:3000',
  apiKey: process.env.GREENROOM_API_KEY,
})

export const allPublishedPosts = async (): Promise<Post[]> => {
  const posts: Post[] = []
  for (let page = 1; ; page++) {
    const result = await client.find({ collection: 'posts', depth: 1, limit: 100, page, sort: '-publishedAt' })
    posts.push(...result.docs)
    if (!result.hasNextPage) return posts
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const posts = await allPublishedPosts()
  const settings = await client.findGlobal({ slug: 'site-settings' })
  console.log(`${settings.siteName}: ${posts.length} published posts`)
  for (const post of posts) console.log(`- ${post.title} (/${post.slug})`)
}
