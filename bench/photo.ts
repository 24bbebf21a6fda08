import sharp from 'sharp'

/** A photo-like picture (4000×3000, 12 MP, by default): smooth gradients under fine noise, as a camera's. */
export const photoLikeJpeg = async (width = 4000, height = 3000) => {
  const pixels = Buffer.alloc(width * height * 3)
  let seed = 1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const grain = (seed >> 16) % 24
      const i = (y * width + x) * 3
      pixels[i] = (x / width) * 200 + grain
      pixels[i + 1] = (y / height) * 180 + grain
      pixels[i + 2] = 90 + Math.sin(x / 97) * 60 + grain
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
}

