import sharp from 'sharp';
import { sniffContentType } from '../files/index.js';
import { cardError } from './cards.errors.js';

/** Apple's sizes at @2x (logo at most 320×100, strip 750×246); Google takes the same files. */
const SLOTS = { logo: { width: 320, height: 100, fit: 'inside' as const }, strip: { width: 750, height: 246, fit: 'cover' as const } };
export type ImageSlot = keyof typeof SLOTS;

/**
 * An uploaded image made ready for a card: recognised by its bytes (PNG, JPEG or WebP only,
 * whatever its name says), decoded by sharp (a truncated or hostile file fails here), resized to
 * the slot and re-encoded as PNG without metadata.
 */
export async function prepareImage(slot: ImageSlot, base64: string): Promise<Buffer> {
  const bytes = Buffer.from(base64, 'base64');
  const type = sniffContentType(bytes);
  if (type !== 'image/png' && type !== 'image/jpeg' && type !== 'image/webp') {
    throw cardError('CARD_IMAGE_INVALID', `The ${slot} must be a PNG, JPEG or WebP image.`, [{ path: slot, message: 'not a PNG, JPEG or WebP image' }]);
  }
  try {
    const s = SLOTS[slot];
    return await sharp(bytes, { limitInputPixels: 40_000_000 }).rotate().resize({ width: s.width, height: s.height, fit: s.fit, withoutEnlargement: slot === 'logo' }).png().toBuffer();
  } catch {
    throw cardError('CARD_IMAGE_INVALID', `The ${slot} could not be read as an image.`, [{ path: slot, message: 'unreadable image' }]);
  }
}

/** A plain square in the card's colour: the icon Apple requires when no logo is set, and the 1× logo fallback. */
export async function solidPng(hex: string, size: number): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: hex } }).png().toBuffer();
}
