/**
 * 采集材料: the 高拍仪's live preview; 拍摄 takes a page, which the staff turn, crop (four corners,
 * suggested from the document's edges) and accept; the pages of one material become one PDF,
 * uploaded at once for the ticket being served. The material's name comes from the 事项's list of
 * materials in the catalogue (or is typed).
 */
import { useEffect, useRef, useState } from 'react';
import { jpegsToPdf } from '../../common/jpeg-pdf.js';
import type { ApiTicket } from '../shared/api-types.js';
import { useServices } from '../shared/app.js';
import { ErrorBanner } from '../shared/components.js';
import { errorMessage, HubError } from '../shared/hub-client.js';
import { encodePage, grabFrame, rotateFrame, suggestQuad } from './capture-canvas.js';
import { CropEditor } from './crop-editor.js';
import type { Quad } from './document-edges.js';
import type { UploadedMaterial } from './finish-case.js';
import { useTasks } from './finish-form.js';
import { Modal } from './modal.js';
import { useConfiguredCamera, useDocumentCamera } from './use-document-camera.js';

interface Page {
  blob: Blob;
  url: string;
  width: number;
  height: number;
}

const OTHER = '__other__';
const kb = (n: number) => `${Math.round(n / 1024)} KB`;

export function CaptureDialog({
  windowNo,
  ticket,
  uploaded,
  onUploaded,
  onClose,
  onError,
}: {
  windowNo: number;
  ticket: ApiTicket;
  uploaded: readonly UploadedMaterial[];
  onUploaded: (m: UploadedMaterial) => void;
  onClose: () => void;
  /** A failure the screen handles too (a 401 signs out). */
  onError: (e: unknown) => void;
}) {
  const { client } = useServices();
  const configured = useConfiguredCamera(windowNo);
  const cam = useDocumentCamera(configured.label, configured.known);
  const video = useRef<HTMLVideoElement>(null);
  const tasks = useTasks(ticket.serviceCode);
  const [taskCode, setTaskCode] = useState('');
  const [choice, setChoice] = useState('');
  const [typed, setTyped] = useState('');
  const [frame, setFrame] = useState<HTMLCanvasElement | null>(null);
  const [quad, setQuad] = useState<Quad | null>(null);
  const [pages, setPages] = useState<Page[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The preview shows a picture (after each page the element is new and loads again).
  const [live, setLive] = useState(false);

  // The preview element comes back after each page: it picks the stream up when it mounts.
  const attachVideo = (v: HTMLVideoElement | null) => {
    video.current = v;
    if (v && cam.stream && v.srcObject !== cam.stream) v.srcObject = cam.stream;
  };
  useEffect(() => {
    if (!taskCode && tasks[0]) setTaskCode(tasks[0].taskCode);
  }, [tasks, taskCode]);
  const task = tasks.find((t) => t.taskCode === taskCode);
  const names = task?.materials?.map((m) => m.name) ?? [];
  // The first material of the 事项 not scanned yet is offered, until the staff pick one themselves.
  const [picked, setPicked] = useState(false);
  const namesKey = names.join('\n');
  useEffect(() => {
    if (picked && (choice === OTHER || namesKey.split('\n').includes(choice))) return;
    const list = namesKey ? namesKey.split('\n') : [];
    setChoice(list.find((n) => !uploaded.some((u) => u.name === n)) ?? list[0] ?? OTHER);
  }, [namesKey, choice, picked, uploaded]);
  // Page previews are object URLs: released when the dialog goes.
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  useEffect(
    () => () => {
      for (const p of pagesRef.current) URL.revokeObjectURL(p.url);
    },
    [],
  );

  const name = (choice === OTHER ? typed : choice).trim();

  const capture = () => {
    const v = video.current;
    if (!v?.videoWidth) return setError('预览尚未就绪，请稍候再拍');
    const f = grabFrame(v);
    setError(null);
    setDone(null);
    setLive(false);
    setFrame(f);
    setQuad(suggestQuad(f));
  };
  const rotate = (dir: 1 | -1) => {
    if (!frame) return;
    const f = rotateFrame(frame, dir);
    setFrame(f);
    setQuad(suggestQuad(f));
  };
  const accept = async () => {
    if (!frame || !quad) return;
    setBusy('正在处理本页…');
    try {
      const p = await encodePage(frame, quad);
      setPages((ps) => [...ps, { blob: p.blob, url: URL.createObjectURL(p.blob), width: p.width, height: p.height }]);
      setFrame(null);
      setQuad(null);
    } catch (e) {
      setError(`本页处理失败：${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  const removePage = (i: number) =>
    setPages((ps) => {
      URL.revokeObjectURL(ps[i]!.url);
      return ps.filter((_, k) => k !== i);
    });
  const upload = async () => {
    if (!name) return setError('请选择或填写材料名称');
    if (!pages.length) return setError('请先拍摄至少一页');
    setBusy('正在上传…');
    setError(null);
    try {
      const jpegs = await Promise.all(pages.map(async (p) => new Uint8Array(await p.blob.arrayBuffer())));
      const pdf = new Blob([jpegsToPdf(jpegs, { title: name }) as BlobPart], { type: 'application/pdf' });
      const r = await client.call('uploadMaterial', { params: { no: windowNo }, query: { name }, body: pdf });
      onUploaded({ name: r.name, sha256: r.sha256, bytes: r.bytes, pages: pages.length });
      setDone(`已上传「${r.name}」：${pages.length} 页，${kb(r.bytes)}`);
      for (const p of pages) URL.revokeObjectURL(p.url);
      setPages([]);
      setPicked(false);
      setTyped('');
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof HubError && e.status === 401) onError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal title={`采集材料 · ${ticket.number}`} onCancel={onClose} wide>
      <div className="c-capture">
        <section className="c-capture-view" aria-label={frame ? '裁剪本页' : '高拍仪预览'}>
          {frame && quad ? (
            <CropEditor frame={frame} quad={quad} onChange={setQuad} />
          ) : (
            <video
              ref={attachVideo}
              autoPlay
              muted
              playsInline
              className="c-capture-video"
              onPlaying={() => setLive(true)}
            />
          )}
          <p className="c-capture-camera">{cam.label ? `高拍仪：${cam.label}` : cam.error ? '' : '正在打开高拍仪…'}</p>
        </section>
        <aside className="c-capture-side">
          <label>
            办理事项
            <select
              value={taskCode}
              onChange={(e) => {
                setTaskCode(e.target.value);
                setPicked(false);
              }}
            >
              {tasks.map((t) => (
                <option key={t.taskCode} value={t.taskCode}>
                  {t.taskName || t.taskCode}
                </option>
              ))}
            </select>
          </label>
          <label>
            材料名称
            <select
              name="materialName"
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value);
                setPicked(true);
              }}
            >
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                  {uploaded.some((u) => u.name === n) ? '（已采集）' : ''}
                </option>
              ))}
              <option value={OTHER}>其他材料（手填）</option>
            </select>
          </label>
          {choice === OTHER ? (
            <label>
              其他材料名称
              <input value={typed} maxLength={200} onChange={(e) => setTyped(e.target.value)} />
            </label>
          ) : null}
          <div className="c-capture-pages">
            <h3>本份材料 {pages.length} 页</h3>
            <ol>
              {pages.map((p, i) => (
                <li key={p.url}>
                  <img src={p.url} alt={`第 ${i + 1} 页`} />
                  <span>
                    第 {i + 1} 页 · {kb(p.blob.size)}
                  </span>
                  <button type="button" className="btn small" onClick={() => removePage(i)}>
                    删除
                  </button>
                </li>
              ))}
            </ol>
          </div>
          {cam.notice ? <p className="c-notice">{cam.notice}</p> : null}
          {busy ? <p className="c-message">{busy}</p> : null}
          {done ? <p className="c-message">{done}</p> : null}
          <ErrorBanner message={error ?? cam.error} />
        </aside>
      </div>
      <div className="c-dialog-buttons c-capture-buttons">
        {frame ? (
          <>
            <button type="button" className="btn" onClick={() => rotate(-1)} disabled={!!busy}>
              向左转
            </button>
            <button type="button" className="btn" onClick={() => rotate(1)} disabled={!!busy}>
              向右转
            </button>
            <button type="button" className="btn" onClick={() => setQuad(suggestQuad(frame))} disabled={!!busy}>
              自动识别边缘
            </button>
            <button type="button" className="btn" onClick={() => setFrame(null)} disabled={!!busy}>
              重拍
            </button>
            <button type="button" className="btn primary" onClick={() => void accept()} disabled={!!busy}>
              确认本页
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              关闭（Esc）
            </button>
            <button type="button" className="btn" onClick={capture} disabled={!live || !!busy}>
              {pages.length ? '拍摄下一页' : '拍摄'}
            </button>
            <button
              type="button"
              className="btn primary"
              onClick={() => void upload()}
              disabled={!pages.length || !!busy}
            >
              完成并上传（{pages.length} 页）
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}
