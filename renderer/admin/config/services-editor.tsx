/** 业务（取号队列）: one row per service, with its number range, daily cap and 事项 codes. */
import { AddButton, bind, bindChecked, CheckField, NumberField, setterFor, TextField } from '../edit-fields.js';
import { blankService, type EditorProps } from './config-draft.js';
import { type DraftColumn, DraftTable } from './draft-table.js';

const COLUMNS: DraftColumn<'services'>[] = [
  {
    head: '编码',
    cell: (s, set) => <TextField label="业务编码" readOnly={!s.isNew} size={4} {...bind(s, set, 'code')} />,
  },
  { head: '名称', cell: (s, set) => <TextField label="业务名称" size={7} {...bind(s, set, 'name')} /> },
  { head: '类别', cell: (s, set) => <TextField label="类别" size={6} {...bind(s, set, 'category')} /> },
  {
    head: '前缀',
    cell: (s, set) => (
      <TextField
        label="票号前缀"
        value={s.prefix}
        size={2}
        onChange={(v) => set((x) => (x.prefix = v.toUpperCase()))}
      />
    ),
  },
  {
    head: '号段',
    className: 'a-nowrap',
    cell: (s, set) => (
      <>
        <NumberField label="号段起" {...bind(s.numberRange, setterFor(set, 'numberRange'), 'from')} />
        –
        <NumberField label="号段止" {...bind(s.numberRange, setterFor(set, 'numberRange'), 'to')} />
      </>
    ),
  },
  { head: '每日上限', cell: (s, set) => <NumberField label="每日上限（0 为不限）" {...bind(s, set, 'dailyCap')} /> },
  {
    head: '默认办理（秒）',
    cell: (s, set) => <NumberField label="默认办理时长（秒）" {...bind(s, set, 'defaultServiceSeconds')} />,
  },
  {
    head: '无证件取号',
    cell: (s, set) => <CheckField label="允许无证件取号" {...bindChecked(s, set, 'allowAnonymous')} />,
  },
  {
    head: '事项编码（每行一个）',
    cell: (s, set) => (
      <textarea
        aria-label="事项编码"
        rows={2}
        cols={24}
        value={s.taskCodes}
        onChange={(e) => set((x) => (x.taskCodes = e.target.value))}
      />
    ),
  },
];

export function ServicesEditor({ d, edit }: EditorProps) {
  return (
    <>
      <h2>业务（取号队列）</h2>
      <DraftTable d={d} edit={edit} list="services" columns={COLUMNS} keyOf={(s) => s.code} scroll />
      <AddButton onClick={() => edit((x) => x.services.push(blankService()))}>新增业务</AddButton>
      <p className="muted">新增的业务需要在「窗口」中分配到至少一个窗口。</p>
    </>
  );
}
