import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = { ok: 'green', at_risk: 'orange', lapsed: 'red' };

export function CycleStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" data-testid="cycle-status">
      {t(`health.status.${status}`)}
    </Badge>
  );
}
