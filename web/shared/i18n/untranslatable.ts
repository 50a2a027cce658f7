/**
 * What a translation may leave as it is written in English: brand names, product names and
 * codes (one list for every language), and the few words a language writes exactly as English
 * does. The translation check (translation-check.ts) reads only these lists; a word missing
 * here is a word left in English.
 */

/** Brands, products, formats, standards and codes, written the same in every language. */
export const UNTRANSLATABLE = [
  'Fealty',
  'Apple Wallet',
  'Google Wallet',
  'Apple',
  'Google',
  'JsonLogic',
  'CSV',
  'XLSX',
  'PDF',
  'API',
  'URL',
  'SMTP',
  'JSON',
  'NPS',
  'CSAT',
  'SKU',
  'ERP',
  'MDF',
  'IBAN',
  'QR',
  'YouTube',
  'Vimeo',
  'WhatsApp',
  'Telegram',
  'Excel',
  'Web Push',
  'SMS',
  'HTTP',
  'HTTPS',
  'http(s)',
  'E-mail',
  'e-mail',
  // The keyboard's key, as printed on it.
  'Enter',
  'HMAC',
  'SHA-256',
  'UTF-8',
  'UTF-16',
  'Windows-1251',
  'Windows-1252',
  'ISO 8601',
  'BCP 47',
  'IANA',
  'OpenAPI',
  'Webhook',
  'ID',
  'OK',
] as const;

/**
 * Words a language writes exactly as English does ("Date" is French too), so a value made only
 * of them is not English left behind. Keep these short: a sentence is never the same.
 */
export const SAME_AS_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  fr: [
    'Action', 'Actions', 'Active', 'Budget', 'Cashback', 'Club', 'Code', 'Condition', 'Date', 'Description', 'E-mail', 'Excel',
    'Exclusive', 'Images', 'Marketing', 'marketing', 'Menu', 'Notifications', 'Options', 'Participation', 'Permissions', 'Photos',
    'Points', 'points', 'Question', 'question', 'questions', 'Quiz', 'Segment', 'Service', 'Showroom', 'Stock', 'Type',
    'Point', 'point', 'Version', 'Webhooks', 'min', 's',
  ],
  fa: [],
  uk: [],
  hi: [],
  tl: [],
};
