import sharp from 'sharp'

export type DemoImage = { name: string; alt: string; data: Buffer }

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A picture made on the spot (no downloads, no binary files in the repository): a two-colour
 * gradient with a caption, rendered by sharp from SVG.
 */
export const makeDemoImage = async (
  name: string,
  caption: string,
  [from, to]: [string, string],
  { width = 1600, height = 900 } = {},
): Promise<DemoImage> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${width * 0.78}" cy="${height * 0.3}" r="${height * 0.22}" fill="#ffffff" fill-opacity="0.18"/>
  <text x="${width * 0.06}" y="${height * 0.86}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${Math.round(height / 9)}"
    font-weight="bold" fill="#ffffff">${escapeXml(caption)}</text>
</svg>`
  const data = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer()
  return { name, alt: caption, data }
}
