/**
 * One terminal's entry of the hall config (`devices.terminals[]`), edited from the 终端 tab: the
 * entry as JSON beside what the terminal reports it can see — serial ports, HID devices, cameras,
 * displays — each inserted at the cursor with one click, so nobody types a port path read off a PC.
 * 检查 validates like `config check`; 保存 writes the hall config (audited), and the hub pushes the
 * change to the terminal.
 */
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { terminalListAnswer } from '../../common/api/responses.js';
import { ErrorBanner, StatusNote } from '../shared/components.js';
import { errorMessage } from '../shared/hub-client.js';
import type { ConfigRefusal } from './admin-api.js';
import { useAdminApi } from './admin-hooks.js';
import { ProblemList } from './config/config-panel.js';

type TerminalRow = z.output<typeof terminalListAnswer>[number];

interface Seen {
  serialPorts?: { path: string; manufacturer?: string }[];
  hid?: { vendorId: string | number; productId: string | number; product?: string; path?: string }[];
  cameras?: { label: string }[];
  displays?: { id: string | number; label?: string; primary?: boolean; width?: number; height?: number }[];
}

/** What the terminal saw, as values to insert (JSON strings) with a label to show. */
function offers(seen: Seen | null): { title: string; items: { show: string; insert: string }[] }[] {
  const q = (v: string | number) => JSON.stringify(v);
  const hex = (n: string | number) => (typeof n === 'number' ? `0x${n.toString(16).padStart(4, '0')}` : n);
  return [
    {
      title: '串口',
      items: (seen?.serialPorts ?? []).map((p) => ({
        show: `${p.path}${p.manufacturer ? `（${p.manufacturer}）` : ''}`,
        insert: q(p.path),
      })),
    },
    {
      title: 'HID 设备',
      items: (seen?.hid ?? []).map((h) => ({
        show: `${hex(h.vendorId)}:${hex(h.productId)}${h.product ? ` ${h.product}` : ''}`,
        insert: `"vendorId": ${q(hex(h.vendorId))}, "productId": ${q(hex(h.productId))}`,
      })),
    },
    {
      title: '摄像头',
      items: (seen?.cameras ?? []).map((c) => ({ show: c.label, insert: q(c.label) })),
    },
    {
      title: '显示器',
      items: (seen?.displays ?? []).map((d, i) => ({
        show: `${i}${d.primary ? '（主屏）' : ''} ${d.label ?? ''} ${d.width && d.height ? `${d.width}×${d.height}` : ''}`.trim(),
        insert: d.label ? q(d.label) : String(i),
      })),
    },
  ];
}

export function TerminalEntryEditor({
  terminal,
  onClose,
}: {
  terminal: TerminalRow;
  onClose: (saved: boolean) => void;
}) {
  const api = useAdminApi();
  const [text, setText] = useState<string | null>(null);
  const [version, setVersion] = useState<string | undefined>(undefined);
  const [all, setAll] = useState<{ id?: string }[]>([]);
  const section = useRef<HTMLElement>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    section.current?.scrollIntoView?.({ block: 'start' });
  }, []);

  useEffect(() => {
    api.config().then(
      (c) => {
        const all = (c.devices?.terminals ?? []) as { id?: string }[];
        const entry = all.find((t) => t.id === terminal.terminalId) ?? {
          id: terminal.terminalId,
          windows: [{ role: 'kiosk', display: 'primary' }],
          devices: [],
        };
        setAll(all);
        setVersion(c.version);
        setText(JSON.stringify(entry, null, 2));
      },
      (e) => setError(errorMessage(e)),
    );
  }, [api, terminal.terminalId]);

  /** The whole `devices` section with this entry replaced, or null when the text is not JSON. */
  const change = () => {
    try {
      const entry = JSON.parse(text ?? '');
      // In place: the order of the terminals in the hall config stays as the manager wrote it.
      const at = all.findIndex((t) => t.id === terminal.terminalId);
      const terminals = at < 0 ? [...all, entry] : all.map((t, i) => (i === at ? entry : t));
      return { expectedVersion: version, devices: { terminals } };
    } catch (e) {
      setProblems([{ path: '（文本）', message: `不是有效的 JSON：${(e as Error).message}` }]);
      return null;
    }
  };

  /** 检查 (`apply` false) or 保存: the same change either way; a refusal lists its problems. */
  const submit = async (apply: boolean) => {
    setNotice(null);
    setError(null);
    const c = change();
    if (!c) return;
    try {
      if (!apply) {
        const r = await api.checkConfig(c as never);
        setProblems(r.problems);
        if (r.ok) setNotice('检查通过，可以保存');
        return;
      }
      const r = await api.applyConfig(c as never);
      if (r.ok) return onClose(true);
      const refusal: ConfigRefusal = r.refusal;
      setProblems(refusal.problems.length ? refusal.problems : [{ path: refusal.code, message: refusal.message }]);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const insert = (value: string) => {
    const t = area.current;
    if (!t) return;
    t.focus();
    t.setRangeText(value, t.selectionStart, t.selectionEnd, 'end');
    setText(t.value);
  };

  return (
    <section ref={section} className="card a-panel" aria-labelledby="terminal-edit-title" data-testid="terminal-editor">
      <h2 id="terminal-edit-title">编辑终端 {terminal.terminalId} 的配置</h2>
      <p className="muted">
        配置项的写法见 docs/devices.md 与 docs/terminal.md。保存后写入大厅配置并记审计，中枢立即推送给该终端。
      </p>
      <ErrorBanner message={error} />
      <div className="a-entry-editor">
        <label className="a-entry-text">
          配置项（JSON）
          <textarea
            ref={area}
            name="terminal-entry"
            spellCheck={false}
            rows={22}
            value={text ?? '正在读取…'}
            disabled={text === null}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="a-entry-seen" data-testid="terminal-seen">
          <h3>该终端能看到的设备</h3>
          <p className="muted">点击插入到光标处</p>
          {offers((terminal.inventory as Seen | null) ?? null).map((group) => (
            <div key={group.title}>
              <h4>{group.title}</h4>
              {group.items.length ? (
                <ul>
                  {group.items.map((item) => (
                    <li key={item.insert}>
                      <button type="button" className="btn link" onClick={() => insert(item.insert)}>
                        {item.show}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">（未报告）</p>
              )}
            </div>
          ))}
        </div>
      </div>
      <ProblemList problems={problems} />
      <StatusNote className="a-note" message={notice} />
      <div className="a-form-row">
        <button type="button" className="btn" onClick={() => submit(false)} disabled={text === null}>
          检查
        </button>
        <button type="button" className="btn primary" onClick={() => submit(true)} disabled={text === null}>
          保存
        </button>
        <button type="button" className="btn" onClick={() => onClose(false)}>
          取消
        </button>
      </div>
    </section>
  );
}
