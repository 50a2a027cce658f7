import { createHmac, timingSafeEqual } from 'node:crypto';
import PDFDocument from 'pdfkit';

/**
 * A certificate's public id: `<programId>.<completionId>.<mac>`, the MAC an HMAC-SHA256 of the
 * first two under the program's signing key. Changing any character makes it another id whose MAC
 * does not match.
 */
export function signCertificate(secret: string, programId: string, completionId: string): string {
  return `${programId}.${completionId}.${mac(secret, programId, completionId)}`;
}

function mac(secret: string, programId: string, completionId: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(`certificate|${programId}|${completionId}`).digest('base64url');
}

export function parseCertificateToken(token: string): { programId: string; completionId: string; mac: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]{1,100}$/.test(p))) return null;
  return { programId: parts[0], completionId: parts[1], mac: parts[2] };
}

export function certificateMacMatches(secret: string, t: { programId: string; completionId: string; mac: string }): boolean {
  const want = Buffer.from(mac(secret, t.programId, t.completionId));
  const got = Buffer.from(t.mac);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * The certificate as a one-page A4 landscape PDF in the standard Helvetica font (no font file to
 * ship). Uncompressed, so its text can be read back from the content stream (the tests do).
 * Helvetica covers Latin-1 only: other letters print as "?", the verification page shows them right.
 */
export function certificatePdf(c: { programName: string; memberName: string; accountName: string; courseTitle: string; completedAt: Date; scorePercent: number; verifyUrl: string }): Promise<Buffer> {
  const latin = (s: string) => s.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', compress: false, margin: 60, info: { Title: latin(`Certificate: ${c.courseTitle}`), Author: latin(c.programName), CreationDate: c.completedAt } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 120;
  doc.rect(30, 30, doc.page.width - 60, doc.page.height - 60).lineWidth(3).stroke('#1f4e79');
  doc.font('Helvetica').fontSize(16).fillColor('#1f4e79').text(latin(c.programName), 60, 80, { width, align: 'center' });
  doc.font('Helvetica-Bold').fontSize(34).fillColor('#000000').text('Certificate of completion', 60, 130, { width, align: 'center' });
  doc.font('Helvetica').fontSize(16).text('This certifies that', 60, 200, { width, align: 'center' });
  doc.font('Helvetica-Bold').fontSize(28).text(latin(c.memberName), 60, 230, { width, align: 'center' });
  doc.font('Helvetica').fontSize(14).text(latin(c.accountName), 60, 270, { width, align: 'center' });
  doc.fontSize(16).text('has completed the course', 60, 310, { width, align: 'center' });
  doc.font('Helvetica-Bold').fontSize(24).text(latin(c.courseTitle), 60, 340, { width, align: 'center' });
  doc.font('Helvetica').fontSize(13).text(`on ${c.completedAt.toISOString().slice(0, 10)} with a score of ${c.scorePercent} %`, 60, 390, { width, align: 'center' });
  doc.fontSize(10).fillColor('#444444').text(`Verify: ${c.verifyUrl}`, 60, doc.page.height - 100, { width, align: 'center' });
  doc.end();
  return done;
}
