/**
 * Small form and table pieces of the admin console, so every editor and list says the same thing
 * the same way: a text/number/checkbox field (named by `label` for assistive technology, or by a
 * visible `caption`) bound to a draft's key, the editable table with its add/delete buttons, tabs.
 */
import type { ReactNode } from 'react';
import { TableHead } from '../shared/components.js';

/** An empty field is NaN, so the hub's check names it instead of silently taking 0. */
export function num(v: string): number {
  return v.trim() === '' ? Number.NaN : Number(v);
}

type Named = {
  /** Accessible name of a bare field (in a table cell). */
  label?: string;
  /** Visible caption: the field is wrapped in a `<label>` with it. */
  caption?: ReactNode;
  /** Class of the wrapping `<label>` (with `caption`). */
  labelClass?: string;
};

function named(input: ReactNode, { caption, labelClass }: Named) {
  if (caption === undefined) return input;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: `input` is the field itself, passed in as a node.
    <label className={labelClass}>
      {caption}
      {input}
    </label>
  );
}

export function TextField({
  value,
  onChange,
  size,
  readOnly,
  ...n
}: Named & {
  value: string;
  onChange: (v: string) => void;
  /** Width in Chinese characters (the `size` attribute counts narrow characters and clips 汉字). */
  size?: number;
  readOnly?: boolean;
}) {
  return named(
    <input
      aria-label={n.caption === undefined ? n.label : undefined}
      value={value}
      readOnly={readOnly}
      style={size ? { width: `${size + 1}em` } : undefined}
      onChange={(e) => onChange(e.target.value)}
    />,
    n,
  );
}

export function NumberField({
  value,
  onChange,
  min,
  max,
  className = 'a-n',
  ...n
}: Named & { value: number; onChange: (v: number) => void; min?: number; max?: number; className?: string }) {
  return named(
    <input
      aria-label={n.caption === undefined ? n.label : undefined}
      type="number"
      min={min}
      max={max}
      // A cleared field is NaN in the draft; React refuses NaN as a value, the field shows empty.
      value={Number.isNaN(value) ? '' : value}
      className={n.caption === undefined ? className : undefined}
      onChange={(e) => onChange(num(e.target.value))}
    />,
    n,
  );
}

export function CheckField({ checked, onChange, ...n }: Named & { checked: boolean; onChange: (v: boolean) => void }) {
  const input = (
    <input
      type="checkbox"
      aria-label={n.caption === undefined ? n.label : undefined}
      checked={checked}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
  return named(input, { labelClass: 'a-inline', ...n });
}

export function DeleteButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="btn danger" onClick={onClick}>
      删除
    </button>
  );
}

export function AddButton({ children, onClick }: { children: ReactNode; onClick: () => void }) {
  return (
    <button type="button" className="btn" onClick={onClick}>
      ＋ {children}
    </button>
  );
}

/** One column of an editable table: its header and the control drawn in each row's cell. */
export interface EditColumn<T> {
  head: string;
  cell: (row: T, i: number) => ReactNode;
  /** Class of the cell (e.g. `a-nowrap` for a pair of fields). */
  className?: string;
}

/**
 * An editable table: a header row, one row per item with a cell per column, and a trailing 操作
 * column holding the row's delete button. Header and cell are declared together, so they cannot
 * drift apart.
 */
export function EditTable<T>({
  columns,
  rows,
  rowKey,
  onDelete,
  scroll = false,
}: {
  columns: readonly EditColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T, i: number) => string;
  onDelete: (i: number) => void;
  /** Wrap in a horizontally scrolling box (wide tables). */
  scroll?: boolean;
}) {
  const table = (
    <table className="a-table a-edit">
      <TableHead cols={[...columns.map((c) => c.head), '操作']} />
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)}>
            {columns.map((c) => (
              <td key={c.head} className={c.className}>
                {c.cell(r, i)}
              </td>
            ))}
            <td>
              <DeleteButton onClick={() => onDelete(i)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return scroll ? <div className="a-scroll">{table}</div> : table;
}

/** Changes one object of a draft in place (see the config editors' `edit`). */
export type Setter<R> = (f: (x: R) => void) => void;

/** The setter of one part of what `set` changes: a row of a list, a section, a nested object. */
export function setterFor<R, K extends keyof R>(set: Setter<R>, key: K): Setter<R[K]> {
  return (f) => set((x) => f(x[key]));
}

/** `value` and `onChange` of a field that edits `row[key]`: `<TextField label="名称" {...bind(row, set, 'name')} />`. */
export function bind<R, K extends keyof R>(
  row: R,
  set: Setter<R>,
  key: K,
): { value: R[K]; onChange: (v: R[K]) => void } {
  return {
    value: row[key],
    onChange: (v) =>
      set((x) => {
        x[key] = v;
      }),
  };
}

/** The same for a checkbox: `checked` and `onChange`. */
export function bindChecked<R extends Record<K, boolean>, K extends keyof R>(
  row: R,
  set: Setter<R>,
  key: K,
): { checked: boolean; onChange: (v: boolean) => void } {
  const { value, onChange } = bind(row, set, key);
  return { checked: value, onChange: (v) => onChange(v as R[K]) };
}

/** The outcome of the last action, read out by assistive technology; nothing while there is none. */
export function StatusNote({ note }: { note: string | null }) {
  return note ? (
    <span className="a-note" role="status">
      {note}
    </span>
  ) : null;
}

/** A row of tab buttons; the current one is marked for assistive technology, not only by colour. */
export function TabBar<T extends string>({
  tabs,
  current,
  onSelect,
  label,
  className,
}: {
  tabs: readonly { id: T; label: string }[];
  current: T;
  onSelect: (id: T) => void;
  label: string;
  className: string;
}) {
  return (
    <nav className={className} aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          className={`a-tab ${current === t.id ? 'active' : ''}`}
          aria-current={current === t.id ? 'page' : undefined}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
