import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { toCsv, toXlsx, type ExportTable } from '../table-export';

/** Program analytics (#18): a table's CSV and XLSX downloads. */
export function ExportButtons({ table }: { table: ExportTable }) {
  const { t } = useTranslation();
  const save = (blob: Blob, ext: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${table.name}.${ext}`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Group gap="xs">
      <Button size="xs" variant="default" onClick={() => save(new Blob([toCsv(table)], { type: 'text/csv' }), 'csv')}>{t('analytics.csv')}</Button>
      <Button size="xs" variant="default" onClick={() => void toXlsx(table).then((b) => save(new Blob([b as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'xlsx'))}>{t('analytics.xlsx')}</Button>
    </Group>
  );
}
