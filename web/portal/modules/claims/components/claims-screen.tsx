import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';
import { decimalToMinor } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { useAmount } from '../../shell/hooks/use-amount';
import { cancelClaim, createClaim, fetchClaims, fetchFunds, submitClaim, uploadProof, type ClaimView, type PortalFund } from '../api/claims-api';

const ACTIVITIES = ['print_ad', 'online_ad', 'trade_show', 'showroom', 'training', 'other'] as const;

function FundCard({ f }: { f: PortalFund }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const amount = useAmount();
  return (
    <section className="card" aria-label={f.name} data-testid={`fund-${f.fundId}`}>
      <div className="card-head">
        <h2>{f.name}</h2>
        <span className="muted small">{t('claims.until', { date: fmt.date(f.expiresAt) })}</span>
      </div>
      <p className="big">{amount(f.available, f.currency).text}</p>
      <dl className="row">
        <div>
          <dt>{t('claims.allocated')}</dt>
          <dd>{amount(f.allocated, f.currency).text}</dd>
        </div>
        <div>
          <dt>{t('claims.reserved')}</dt>
          <dd>{amount(f.reserved, f.currency).text}</dd>
        </div>
        <div>
          <dt>{t('claims.paid')}</dt>
          <dd>{amount(f.paid, f.currency).text}</dd>
        </div>
      </dl>
    </section>
  );
}

/** A new MDF claim: the activity, its cost, the manufacturers the ad shows, and a photo or PDF of the proof. */
function NewClaimForm({ funds, onDone }: { funds: PortalFund[]; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const [fundId, setFundId] = useState(funds[0]?.fundId ?? '');
  const [type, setType] = useState<string>('print_ad');
  const [description, setDescription] = useState('');
  const [cost, setCost] = useState('');
  const [shown, setShown] = useState('1');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const minor = decimalToMinor(cost, 2, f.locale);
    if (minor === null || minor <= 0n) errs.cost = t('claims.costInvalid');
    if (!description.trim()) errs.description = t('claims.required');
    if (!file) errs.file = t('claims.fileRequired');
    setErrors(errs);
    setDone(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(null);
    try {
      const claim = await createClaim({ kind: 'mdf', fundId, activity: { type, description: description.trim() }, cost: Number(minor), manufacturersShown: Number(shown) || 1 });
      await uploadProof(claim.id, file!);
      await submitClaim(claim.id);
      setDone(t('claims.sent'));
      setDescription('');
      setCost('');
      setFile(null);
      onDone();
    } catch (err) {
      if (isApiError(err)) setErrors(err.fieldErrors());
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('claims.new')}</h2>
      <form onSubmit={submit} noValidate>
        {funds.length > 1 ? (
          <div className="field">
            <label htmlFor={`${id}-fund`}>{t('claims.fund')}</label>
            <select id={`${id}-fund`} value={fundId} onChange={(e) => setFundId(e.currentTarget.value)}>
              {funds.map((x) => (
                <option key={x.fundId} value={x.fundId}>
                  {x.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('claims.activity')}</label>
          <select id={`${id}-type`} value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {ACTIVITIES.map((a) => (
              <option key={a} value={a}>
                {t(`claims.activities.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-desc`}>{t('claims.description')}</label>
          <input id={`${id}-desc`} value={description} maxLength={2000} onChange={(e) => setDescription(e.currentTarget.value)} aria-invalid={Boolean(errors.description)} aria-describedby={errors.description ? `${id}-desc-err` : undefined} />
          {errors.description ? <span className="error" id={`${id}-desc-err`}>{errors.description}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-cost`}>{t('claims.cost')}</label>
          <input id={`${id}-cost`} inputMode="decimal" value={cost} onChange={(e) => setCost(e.currentTarget.value)} aria-invalid={Boolean(errors.cost)} aria-describedby={errors.cost ? `${id}-cost-err` : undefined} />
          {errors.cost ? <span className="error" id={`${id}-cost-err`}>{errors.cost}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-shown`}>{t('claims.manufacturersShown')}</label>
          <input id={`${id}-shown`} inputMode="numeric" value={shown} onChange={(e) => setShown(e.currentTarget.value.replace(/\D/g, ''))} />
          <span className="small muted">{t('claims.manufacturersHint')}</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('claims.proof')}</label>
          <input id={`${id}-file`} type="file" accept="image/*,application/pdf" capture="environment" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} aria-invalid={Boolean(errors.file || errors.body)} aria-describedby={errors.file || errors.body ? `${id}-file-err` : undefined} />
          {errors.file || errors.body ? <span className="error" id={`${id}-file-err`}>{errors.file ?? errors.body}</span> : null}
        </div>
        <ErrorText error={error} />
        {done ? (
          <p className="notice" role="status">
            {done}
          </p>
        ) : null}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('claims.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

function ClaimRow({ c, onChange }: { c: ClaimView; onChange: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmount();
  const value = c.approvedAmount ?? c.reimbursement;
  return (
    <li data-testid={`claim-${c.id}`}>
      <div>
        <strong>{c.activity ? t(`claims.activities.${c.activity.type}`, { defaultValue: c.activity.type }) : (c.invoice?.number ?? c.id)}</strong>
        <span className="muted small"> · {f.date(c.createdAt)}</span>
        {c.activity ? <div className="small">{c.activity.description}</div> : null}
        {c.note ? <div className="small notice">{c.note}</div> : null}
        {c.dueAt && (c.status === 'draft' || c.status === 'info_requested') ? <div className="small notice">{t('claims.dueBy', { date: f.date(c.dueAt) })}</div> : null}
      </div>
      <div className="end">
        <span className={`status status-${c.status}`}>{t(`claims.statuses.${c.status}`)}</span>
        {value !== null && c.currency ? <div className="small">{amount(value, c.currency).text}</div> : null}
        {c.status === 'info_requested' ? (
          <button type="button" className="small" onClick={() => submitClaim(c.id).then(onChange, onChange)}>
            {t('claims.resubmit')}
          </button>
        ) : null}
        {c.status === 'draft' ? (
          <button type="button" className="small" onClick={() => cancelClaim(c.id).then(onChange, onChange)}>
            {t('claims.cancel')}
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** My company's marketing funds and claims: what is left, a new claim with a photo, and where each claim stands. */
export function ClaimsScreen() {
  const { t } = useTranslation();
  const funds = useResource(fetchFunds);
  const claims = useResource(fetchClaims);
  const reload = () => {
    funds.reload();
    claims.reload();
  };
  const list = funds.data ?? [];
  return (
    <>
      <h1>{t('claims.title')}</h1>
      <ErrorText error={funds.error ?? claims.error} />
      {!funds.loading && !list.length ? <p className="muted">{t('claims.noFunds')}</p> : null}
      {list.map((x) => (
        <FundCard key={x.fundId} f={x} />
      ))}
      {list.length ? <NewClaimForm funds={list} onDone={reload} /> : null}
      <section className="card" aria-labelledby="claims-list">
        <h2 id="claims-list">{t('claims.mine')}</h2>
        {claims.data?.length ? (
          <ul className="list">
            {claims.data.map((c) => (
              <ClaimRow key={c.id} c={c} onChange={reload} />
            ))}
          </ul>
        ) : (
          <p className="muted small">{t('claims.none')}</p>
        )}
      </section>
    </>
  );
}

/** On the home screen: a link to the funds, when the company has any. */
export function FundsLink() {
  const { t } = useTranslation();
  const funds = useResource(fetchFunds);
  const available = funds.data ?? [];
  if (!available.length) return null;
  return (
    <p className="small">
      <Link to="/claims">{t('claims.link', { count: available.length })}</Link>
    </p>
  );
}
