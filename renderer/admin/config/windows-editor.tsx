/** 窗口: number, name, the services each window handles with their weights, and its kind. */
import type { AdminWindowView } from '../../../main/server/admin/types.js';
import { AddButton, bind, bindChecked, CheckField, NumberField, type Setter, TextField } from '../edit-fields.js';
import { type EditorProps, nextWindow, type ServiceDraft } from './config-draft.js';
import { type DraftColumn, DraftTable } from './draft-table.js';

export function WindowsEditor({ d, edit }: EditorProps) {
  const columns: DraftColumn<'windows'>[] = [
    { head: '编号', cell: (w, set) => <NumberField label="窗口编号" {...bind(w, set, 'no')} /> },
    { head: '名称', cell: (w, set) => <TextField label="窗口名称" size={9} {...bind(w, set, 'name')} /> },
    { head: '办理业务（权重）', cell: (w, set) => <ServiceWeights w={w} set={set} services={d.services} /> },
    { head: '综合窗口', cell: (w, set) => <CheckField label="综合窗口" {...bindChecked(w, set, 'comprehensive')} /> },
    { head: '绿色通道', cell: (w, set) => <CheckField label="绿色通道" {...bindChecked(w, set, 'greenChannel')} /> },
  ];
  return (
    <>
      <h2>窗口</h2>
      <DraftTable d={d} edit={edit} list="windows" columns={columns} scroll />
      <AddButton onClick={() => edit((x) => x.windows.push(nextWindow(x.windows)))}>新增窗口</AddButton>
    </>
  );
}

/** A checkbox per service of the hall; a ticked one gets its weight (1–100) beside it. */
function ServiceWeights({
  w,
  set,
  services,
}: {
  w: AdminWindowView;
  set: Setter<AdminWindowView>;
  services: readonly ServiceDraft[];
}) {
  return (
    <div className="a-svc-list">
      {services.map((s) => {
        const on = w.services.find((x) => x.code === s.code);
        return (
          <span key={s.code} className="a-svc">
            <CheckField
              caption={s.name || s.code}
              labelClass=""
              checked={!!on}
              onChange={(v) =>
                set((x) => {
                  x.services = v
                    ? [...x.services, { code: s.code, weight: 1 }]
                    : x.services.filter((y) => y.code !== s.code);
                })
              }
            />
            {on ? (
              <NumberField
                label={`${s.name} 权重`}
                min={1}
                max={100}
                value={on.weight}
                className="a-w"
                onChange={(v) =>
                  set((x) => {
                    const y = x.services.find((z) => z.code === s.code);
                    if (y) y.weight = v;
                  })
                }
              />
            ) : null}
          </span>
        );
      })}
    </div>
  );
}
