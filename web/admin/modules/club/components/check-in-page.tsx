import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '@shared/api/api-error';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useClubEvent, useClubMutations } from '../hooks/use-club';

/** The part of the Barcode Detection API used here; only some browsers have it (Chrome on Android). */
type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorClass = new (o: { formats: string[] }) => Detector;
const detectorClass = (): DetectorClass | undefined => (globalThis as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;

/**
 * Check-in at the door: the phone's camera reads the QR ticket (BarcodeDetector) when the browser
 * has it; otherwise, or when a code will not scan, the organiser types the code under the QR.
 * The server decides: first time, already checked in, forged, another event's ticket.
 */
export function CheckInPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { eventId = '' } = useParams();
  const event = useClubEvent(eventId);
  const { checkIn } = useClubMutations();
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const last = useRef<string>('');
  const canScan = !!detectorClass() && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  const submit = (ticket: string) => {
    if (!ticket.trim()) return;
    checkIn.mutate({ id: eventId, ticket: ticket.trim() });
  };
  // The camera loop reads the latest submit through a ref, so a re-render does not restart the camera.
  const submitRef = useRef(submit);
  submitRef.current = submit;

  useEffect(() => {
    if (!scanning) return;
    const Klass = detectorClass();
    if (!Klass) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    const detector = new Klass({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current || stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stopped) {
          const found = await detector.detect(video.current).catch(() => []);
          const value = found[0]?.rawValue;
          // The same code held in front of the camera is sent once.
          if (value && value !== last.current) {
            last.current = value;
            setCode(value);
            submitRef.current(value);
          }
          await new Promise((r) => setTimeout(r, 300));
        }
      } catch (err) {
        setCameraError(err instanceof Error ? err.message : String(err));
        setScanning(false);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [scanning]);

  const err = checkIn.error;
  const used = isApiError(err) && err.code === 'TICKET_USED';
  return (
    <Page title={t('club.checkInTitle', { title: event.data?.title ?? '' })}>
      <Anchor component={Link} to="/club" size="sm">
        {t('club.back')}
      </Anchor>
      {event.data ? (
        <Group gap={6}>
          <Badge>{t('club.goingOf', { going: event.data.going, capacity: event.data.capacity })}</Badge>
          <Badge color="green">{t('club.attendedCount', { count: event.data.attended })}</Badge>
        </Group>
      ) : null}
      <Card withBorder padding="md">
        <Stack gap="sm">
          <Title order={4}>{t('club.scan')}</Title>
          {canScan ? (
            <>
              <video ref={video} muted playsInline style={{ width: '100%', maxWidth: 420, display: scanning ? 'block' : 'none', borderRadius: 8 }} />
              <Group>
                <Button variant={scanning ? 'default' : 'filled'} onClick={() => setScanning((s) => !s)}>
                  {scanning ? t('club.stopCamera') : t('club.startCamera')}
                </Button>
              </Group>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('club.noCamera')}
            </Text>
          )}
          {cameraError ? <Alert color="orange">{cameraError}</Alert> : null}
        </Stack>
      </Card>
      <Card withBorder padding="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit(code);
          }}
        >
          <Stack gap="sm">
            <Title order={4}>{t('club.manual')}</Title>
            <TextInput label={t('club.ticketCode')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="off" autoCapitalize="off" spellCheck={false} data-testid="check-in-code" />
            <Group>
              <Button type="submit" loading={checkIn.isPending} disabled={!code.trim()}>
                {t('club.checkInButton')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {checkIn.data && !err ? (
        <Alert color="green" title={t('club.welcome', { name: checkIn.data.memberName })} data-testid="check-in-ok">
          {checkIn.data.accountName} · {f.dateTime(checkIn.data.checkedInAt)}
        </Alert>
      ) : null}
      {used ? <Alert color="orange" title={t('club.alreadyIn')}>{isApiError(err) ? err.detail : null}</Alert> : <ErrorAlert error={err} />}
    </Page>
  );
}
