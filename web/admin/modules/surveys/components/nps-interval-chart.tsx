import { Bar, CartesianGrid, ComposedChart, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { NpsFigure } from '@contracts/surveys';

type Point = Pick<NpsFigure, 'n' | 'nps' | 'ci95'> & { label: string };

/** NPS bars with their 95 % interval as error bars, n in each label: a wide bar reads as "not enough answers yet". */
export function NpsIntervalChart({ rows, label, testId }: { rows: Point[]; label?: string; testId?: string }) {
  const data = rows.filter((r) => r.nps !== null && r.ci95).map((r) => ({ label: `${r.label} (n=${r.n})`, nps: r.nps!, err: [r.nps! - r.ci95![0], r.ci95![1] - r.nps!], low: r.ci95![0], high: r.ci95![1] }));
  if (!data.length) return null;
  return (
    <div style={{ width: '100%', height: 240 }} dir="ltr" role="img" aria-label={label} data-testid={testId}>
      <ResponsiveContainer>
        <ComposedChart data={data} margin={{ top: 10, right: 10, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis domain={[-100, 100]} fontSize={11} />
          <ReferenceLine y={0} stroke="#888" />
          <Tooltip formatter={(v, _n, item) => [`${v} [${(item.payload as { low: number }).low}; ${(item.payload as { high: number }).high}]`, 'NPS [95 %]']} />
          <Bar dataKey="nps" fill="#1f5fbf" isAnimationActive={false}>
            <ErrorBar dataKey="err" width={6} strokeWidth={1.5} stroke="#b00020" direction="y" />
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
