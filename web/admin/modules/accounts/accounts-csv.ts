/** The fields of an account the export writes (an `AccountView` has them all). */
export type CsvAccount = {
  id: string;
  externalId: string;
  name: string;
  type: string;
  segment: string | null;
  region: string | null;
  parentId: string | null;
  managerId: string | null;
  status: string;
  employeeIncentives: boolean;
  createdAt: string;
};

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break; a leading `=`, `+`,
 * `-`, `@`, tab or carriage return is prefixed with `'` so a spreadsheet shows the text instead
 * of running it as a formula (CSV injection).
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const ACCOUNT_CSV_COLUMNS = ['id', 'externalId', 'name', 'type', 'segment', 'region', 'parentExternalId', 'managerId', 'status', 'employeeIncentives', 'createdAt'] as const;

/**
 * The accounts as a CSV file (comma-separated, UTF-8 with a byte order mark so spreadsheet programs
 * read accents right, CRLF line ends). The parent is named by its external id when it is in the list.
 */
export function accountsCsv(accounts: CsvAccount[]): string {
  const extOf = new Map(accounts.map((a) => [a.id, a.externalId]));
  const lines = [ACCOUNT_CSV_COLUMNS.join(',')];
  for (const a of accounts) {
    const row = { ...a, parentExternalId: a.parentId ? (extOf.get(a.parentId) ?? a.parentId) : null };
    lines.push(ACCOUNT_CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
