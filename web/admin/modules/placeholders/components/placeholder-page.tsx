import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/components/page';

/** A screen whose server module has not landed yet: says so instead of showing a broken page. */
export function PlaceholderPage({ feature }: { feature: 'tiers' | 'webhooks' | 'notFound' }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`placeholder.${feature}.title`)}>
      <Alert variant="light" color="gray">
        {t(`placeholder.${feature}.body`)}
      </Alert>
    </Page>
  );
}
