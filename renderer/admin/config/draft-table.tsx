/** The table editor of one of the drafts' lists (services, windows, staff). */
import type { ReactNode } from 'react';
import { EditTable, type Setter, setterFor } from '../edit-fields.js';
import type { EditorProps, ListKey, Row } from './config-draft.js';

/** A column whose cell edits its row through `set`. */
export interface DraftColumn<K extends ListKey> {
  head: string;
  cell: (row: Row<K>, set: Setter<Row<K>>) => ReactNode;
  className?: string;
}

export function DraftTable<K extends ListKey>({
  d,
  edit,
  list,
  columns,
  keyOf,
  scroll,
}: EditorProps & {
  list: K;
  columns: readonly DraftColumn<K>[];
  /**
   * Key of a row read from the config. New rows, and lists whose key is itself being edited (a
   * window's number: the row must keep focus while it changes), are keyed by position.
   */
  keyOf?: (row: Row<K>) => string;
  scroll?: boolean;
}) {
  const rows = setterFor(edit, list);
  return (
    <EditTable
      scroll={scroll}
      rows={d[list] as readonly Row<K>[]}
      rowKey={(r, i) => (keyOf && !('isNew' in r && r.isNew) ? keyOf(r) : `new-${i}`)}
      onDelete={(i) => rows((x) => x.splice(i, 1))}
      columns={columns.map((c) => ({
        ...c,
        cell: (r: Row<K>, i: number) => c.cell(r, setterFor(rows as Setter<Row<K>[]>, i)),
      }))}
    />
  );
}
