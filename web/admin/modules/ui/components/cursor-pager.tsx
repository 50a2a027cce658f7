import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CursorPages } from '../hooks/use-cursor-pages';

export function CursorPager({ pages, nextCursor, count }: { pages: CursorPages; nextCursor: string | null | undefined; count: number }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {t('common.pageOf', { page: pages.index + 1, count })}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={pages.prev} disabled={pages.index === 0}>
          {t('common.previous')}
        </Button>
        <Button variant="default" size="xs" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor}>
          {t('common.next')}
        </Button>
      </Group>
    </Group>
  );
}
