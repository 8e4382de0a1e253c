/** One key figure in a card: label, value with its unit (none when there is no value), a hint. */
export function Kpi({
  label,
  value,
  unit,
  hint,
  testId,
}: {
  label: string;
  value: string;
  unit?: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="card a-kpi" data-testid={testId}>
      <div className="a-kpi-label">{label}</div>
      <div className="a-kpi-value">
        {value}
        {unit && value !== '—' ? <small> {unit}</small> : null}
      </div>
      {hint ? <div className="a-kpi-hint muted">{hint}</div> : null}
    </div>
  );
}
