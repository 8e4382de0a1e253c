/**
 * 播报与公告: the call announcement's template and repeat count, previewed here as typed (the hub's
 * check returns its own preview) and playable with 试听; the ticket header and footer, which the
 * display also shows as its notice.
 */
import { useMemo } from 'react';
import { SpeechQueue } from '../../shared/speech.js';
import { bind, NumberField, setterFor, TextField } from '../edit-fields.js';
import { type EditorProps, renderAnnouncement, sampleFor } from './config-draft.js';

export function AnnouncementEditor({ d, edit, preview }: EditorProps & { preview: string | null }) {
  const speech = useMemo(() => new SpeechQueue(), []);
  const shown = preview ?? renderAnnouncement(d.announcement.template, sampleFor(d));
  const announcement = setterFor(edit, 'announcement');
  const ticketText = setterFor(edit, 'ticketText');
  return (
    <>
      <h2>叫号播报</h2>
      <div className="a-form-row">
        <TextField caption="播报模板" labelClass="a-grow" {...bind(d.announcement, announcement, 'template')} />
        <NumberField
          caption="每次播报重复（1–5 次）"
          min={1}
          max={5}
          {...bind(d.announcement, announcement, 'repeat')}
        />
      </div>
      <p className="muted">
        可用占位：<code>{'{number}'}</code> 票号、<code>{'{window}'}</code> 窗口号、<code>{'{windowName}'}</code>{' '}
        窗口名称、<code>{'{service}'}</code> 业务名称；必须包含 <code>{'{number}'}</code>。
      </p>
      <div className="a-preview" data-testid="announcement-preview">
        <span className="muted">预览：</span>
        <b>{shown}</b>
        <button type="button" className="btn" onClick={() => speech.say(shown, { repeat: 1, interrupt: true })}>
          试听
        </button>
      </div>
      <h2>显示屏公告与票面文字</h2>
      <div className="a-form-row">
        <TextField caption="票头 / 公告第一行" labelClass="a-grow" {...bind(d.ticketText, ticketText, 'header')} />
        <TextField caption="票尾 / 滚动公告" labelClass="a-grow" {...bind(d.ticketText, ticketText, 'footer')} />
      </div>
    </>
  );
}
