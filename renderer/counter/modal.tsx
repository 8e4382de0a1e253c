/** The pieces every counter form is made of: the modal dialog, its buttons, a group of radio buttons. */
import { type ReactNode, useEffect, useRef } from 'react';

/** What a form that asks for one answer is given. */
export interface FormProps<T> {
  onCancel: () => void;
  onSubmit: (answer: T) => void;
}

/** A modal dialog named by its title; the first field takes focus, Esc cancels. */
export function Modal({
  title,
  onCancel,
  children,
  wide,
}: {
  title: string;
  onCancel: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="c-overlay">
      <div
        ref={ref}
        className={`card c-dialog ${wide ? 'wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** 取消（Esc） and the form's submit button. */
export function DialogButtons({ submit, onCancel, busy }: { submit: string; onCancel: () => void; busy?: boolean }) {
  return (
    <div className="c-dialog-buttons">
      <button type="button" className="btn" onClick={onCancel}>
        取消（Esc）
      </button>
      <button type="submit" className="btn primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="c-radios">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input type="radio" name={name} checked={value === o.value} onChange={() => onChange(o.value)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
