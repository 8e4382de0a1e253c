/** 工作人员: staff number, name, role, the windows they may sign in at, and a new PIN (never shown). */
import { AddButton, bind, TextField } from '../edit-fields.js';
import { blankStaff, type EditorProps, type StaffDraft } from './config-draft.js';
import { type DraftColumn, DraftTable } from './draft-table.js';

const COLUMNS: DraftColumn<'staff'>[] = [
  {
    head: '工号',
    cell: (s, set) => <TextField label="工号" readOnly={!s.isNew} size={4} {...bind(s, set, 'no')} />,
  },
  { head: '姓名', cell: (s, set) => <TextField label="姓名" size={4} {...bind(s, set, 'name')} /> },
  {
    head: '角色',
    cell: (s, set) => (
      <select
        aria-label="角色"
        value={s.role}
        onChange={(e) => set((x) => (x.role = e.target.value as StaffDraft['role']))}
      >
        <option value="staff">窗口人员</option>
        <option value="manager">管理员</option>
      </select>
    ),
  },
  {
    head: '可登录窗口',
    cell: (s, set) => <TextField label="可登录窗口（用逗号分隔）" size={7} {...bind(s, set, 'windows')} />,
  },
  {
    head: '新 PIN（留空不改）',
    cell: (s, set) => (
      <input
        aria-label="新 PIN"
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        value={s.pin}
        placeholder={s.isNew ? '必填，4–12 位数字' : '不修改'}
        onChange={(e) => set((x) => (x.pin = e.target.value))}
        size={12}
      />
    ),
  },
];

export function StaffEditor({ d, edit }: EditorProps) {
  return (
    <>
      <h2>工作人员</h2>
      <DraftTable d={d} edit={edit} list="staff" columns={COLUMNS} keyOf={(s) => s.no} />
      <AddButton onClick={() => edit((x) => x.staff.push(blankStaff()))}>新增工作人员</AddButton>
      <p className="muted">PIN 只在中枢保存为加盐哈希，不会显示，也不会写入日志。</p>
    </>
  );
}
