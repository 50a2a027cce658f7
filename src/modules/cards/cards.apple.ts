import { PKPass } from 'passkit-generator';
import type { CardDesignView, CardFace } from '../../contracts/cards.js';
import { faceFields } from './cards.face.js';

export type AppleSecrets = { certificatePem: string; privateKeyPem: string; privateKeyPassphrase?: string; wwdrPem: string; apnsKeyPem?: string };
export type AppleIdentity = { passTypeIdentifier: string; teamIdentifier: string; organizationName: string };

const BARCODES = { qr: 'PKBarcodeFormatQR', pdf417: 'PKBarcodeFormatPDF417', aztec: 'PKBarcodeFormatAztec', code128: 'PKBarcodeFormatCode128' } as const;

const rgb = (hex: string) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

/**
 * A signed `.pkpass` (storeCard) for one card: pass.json from the design and the member's face,
 * the images, a manifest of SHA-1 hashes and its PKCS#7 detached signature by the program's
 * Pass Type ID certificate with Apple's WWDR certificate in the chain (passkit-generator does
 * the manifest and signature).
 */
export function buildPkpass(input: {
  identity: AppleIdentity;
  secrets: AppleSecrets;
  design: CardDesignView;
  face: CardFace;
  serialNumber: string;
  authenticationToken: string;
  /** `https://host/api/v1/passkit`: Apple appends `/v1/...`. */
  webServiceURL: string;
  barcodeMessage: string;
  images: { icon: Buffer; logo: Buffer; strip?: Buffer };
  locale?: string;
  /** Shown by Wallet when the primary field changes (`%@` is the new value). */
  changeMessage?: string | null;
}): Buffer {
  const { design, face } = input;
  const text = (input.locale && design.texts[input.locale]) || design.texts.en || Object.values(design.texts)[0] || { title: design.name };
  const files: Record<string, Buffer> = { 'icon.png': input.images.icon, 'icon@2x.png': input.images.icon, 'logo.png': input.images.logo, 'logo@2x.png': input.images.logo };
  if (input.images.strip) {
    files['strip.png'] = input.images.strip;
    files['strip@2x.png'] = input.images.strip;
  }
  const pass = new PKPass(
    files,
    { wwdr: input.secrets.wwdrPem, signerCert: input.secrets.certificatePem, signerKey: input.secrets.privateKeyPem, ...(input.secrets.privateKeyPassphrase ? { signerKeyPassphrase: input.secrets.privateKeyPassphrase } : {}) },
    {
      formatVersion: 1,
      passTypeIdentifier: input.identity.passTypeIdentifier,
      teamIdentifier: input.identity.teamIdentifier,
      organizationName: input.identity.organizationName,
      serialNumber: input.serialNumber,
      description: text.description ?? text.title,
      logoText: text.title,
      backgroundColor: rgb(design.colors.background),
      foregroundColor: rgb(design.colors.foreground),
      labelColor: rgb(design.colors.label),
      webServiceURL: input.webServiceURL,
      authenticationToken: input.authenticationToken,
    },
  );
  pass.type = 'storeCard';
  const { primary, others } = faceFields(design, face);
  pass.primaryFields.push(primary);
  // A storeCard shows up to four secondary and auxiliary fields together; the rest go on the back.
  for (const [i, f] of others.entries()) (i < 2 ? pass.secondaryFields : i < 4 ? pass.auxiliaryFields : pass.backFields).push(f);
  if (text.terms) pass.backFields.push({ key: 'terms', label: 'Terms', value: text.terms });
  pass.setBarcodes({ message: input.barcodeMessage, format: BARCODES[design.barcode], messageEncoding: 'iso-8859-1', altText: design.barcode === 'code128' ? undefined : face.memberName });
  return pass.getAsBuffer();
}
