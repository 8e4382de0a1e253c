/** 优先规则: which priority classes are on, the interleave ratio, the aging limit, appointments first. */
import { bind, bindChecked, CheckField, NumberField, setterFor } from '../edit-fields.js';
import { type EditorProps, PRIORITY_NAMES } from './config-draft.js';

export function PriorityEditor({ d, edit }: EditorProps) {
  const p = d.priority;
  const set = setterFor(edit, 'priority');
  return (
    <>
      <h2>优先规则</h2>
      <fieldset className="a-fieldset">
        <legend>启用的优先类别</legend>
        {Object.entries(PRIORITY_NAMES).map(([k, name]) => (
          <CheckField
            key={k}
            caption={name}
            checked={p.enabled.includes(k)}
            onChange={(v) =>
              set((x) => {
                x.enabled = v ? [...x.enabled, k] : x.enabled.filter((y) => y !== k);
              })
            }
          />
        ))}
      </fieldset>
      <div className="a-form-row">
        <NumberField
          caption="穿插比例：每 1 个优先号之后最多叫几个普通号"
          min={1}
          max={20}
          {...bind(p, set, 'normalPerPriority')}
        />
        <NumberField
          caption="防插队时限（秒）：等候超过此时长的号不再被后来者插队"
          min={60}
          max={14400}
          value={p.agingLimitSeconds ?? 1800}
          onChange={(v) => set((x) => (x.agingLimitSeconds = v))}
        />
        <CheckField caption="预约签到的号优先叫" {...bindChecked(p, set, 'appointmentsFirst')} />
      </div>
    </>
  );
}
