import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportStatus } from '../api/imports-api';

const COLORS: Record<ImportStatus, string> = { uploaded: 'gray', running: 'blue', completed: 'teal', failed: 'red' };

export function StatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={COLORS[status]} data-testid="import-status">
      {t(`imports.statuses.${status}`)}
    </Badge>
  );
}
